package dev.provium.lua;

import dev.provium.guest.AgentErrorException;
import dev.provium.guest.ExecResult;
import dev.provium.vm.GuestChannel;
import dev.provium.vm.Vm;
import dev.provium.vm.Worker;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * VM and worker userdata. Both have the guest methods ({@code exec}, {@code json}, files, {@code mount_vfs},
 * {@code wait_until}, {@code dmesg}, system calls, ioctls, jobs); a VM also has {@code boot}, {@code spawn},
 * {@code shutdown} and {@code kill} (of QEMU), a worker has {@code kill} (of the worker). Argument mistakes
 * and guest-side errors (a missing file, a wrong state, a refused request) are Lua errors a script can catch;
 * trouble with the guest itself (QEMU gone, no answer) propagates as the VM layer's exception, carrying the
 * console tail.
 */
final class LuaGuest {
    private static final LuaTable VM_METHODS = new LuaTable();
    private static final LuaTable WORKER_METHODS = new LuaTable();
    private static final LuaTable VM_METATABLE = metatable(VM_METHODS, "vm");
    private static final LuaTable WORKER_METATABLE = metatable(WORKER_METHODS, "worker");
    private static final Set<String> SPAWN_OPTIONS = Set.of("thread");
    private static final Set<String> EXEC_OPTIONS = Set.of("timeout");
    private static final double MAX_EXEC_TIMEOUT_SECONDS = 0xFFFF_FFFFL / 1000.0;

    /** Mounts what {@code vm:mount_vfs()} promises, each only when not mounted yet. */
    private static final String MOUNT_VFS = String.join(" && ",
            "{ [ -e /proc/self ] || mount -t proc proc /proc; }",
            mountUnlessMounted("sysfs", "/sys"),
            mountUnlessMounted("securityfs", "/sys/kernel/security"),
            mountUnlessMounted("devtmpfs", "/dev"));

    private static String mountUnlessMounted(String type, String where) {
        return "{ grep -q ' " + where + " " + type + " ' /proc/mounts || mount -t " + type + " " + type + " " + where + "; }";
    }

    static {
        guestMethod("exec", (g, args) -> {
            String command = Args.string("exec", args, 2).tojstring();
            Optional<Duration> timeout = execTimeout(args.arg(3));
            ExecResult result = timeout.isPresent() ? g.guest.exec(command, timeout.get()) : g.guest.exec(command);
            return execResult(command, result, timeout.orElse(null));
        });
        guestMethod("json", (g, args) -> LuaJson.commandOutput(g.guest, Args.string("json", args, 2).tojstring()));
        guestMethod("read_file", (g, args) -> LuaString.valueOf(g.guest.readFile(Args.string("read_file", args, 2).tojstring())));
        guestMethod("write_file", (g, args) -> {
            String path = Args.string("write_file", args, 2).tojstring();
            g.guest.writeFile(path, LuaBytes.of(Args.string("write_file", args, 3)));
            return LuaValue.NONE;
        });
        guestMethod("mount_vfs", (g, args) -> {
            ExecResult result = g.guest.exec(MOUNT_VFS);
            if (result.exitCode() != 0) {
                throw new LuaError("mount_vfs failed (exit " + result.exitCode() + "): " + result.stderrText().strip());
            }
            return LuaValue.NONE;
        });
        guestMethod("wait_until", (g, args) -> WaitUntil.poll(Args.function("wait_until", args, 2), args.arg(3)));
        guestMethod("dmesg", (g, args) -> LuaDmesg.read(g.guest, args));
        guestMethod("syscall", (g, args) -> LuaSyscalls.syscall(g.guest, args));
        guestMethod("syscall_buf", (g, args) -> LuaSyscalls.syscallBuf(g.guest, args));
        guestMethod("syscall_bufs", (g, args) -> LuaSyscalls.syscallBufs(g.guest, args));
        guestMethod("syscall_ptr", (g, args) -> LuaSyscalls.syscallPtr(g.guest, args));
        guestMethod("ioctl", (g, args) -> LuaIoctls.ioctl(g.guest, args));
        guestMethod("ioctl_buf", (g, args) -> LuaIoctls.ioctlBuf(g.guest, args));
        guestMethod("background", (g, args) -> g.jobs.background(args));
        guestMethod("job_wait", (g, args) -> g.jobs.jobWait(args));
        guestMethod("job_kill", (g, args) -> g.jobs.jobKill(args));

        method(VM_METHODS, "vm", "boot", (g, args) -> {
            g.vm.boot(LuaBootOptions.from(args.arg(2), g.context.projectDir()));
            return LuaValue.NONE;
        });
        method(VM_METHODS, "vm", "spawn", (g, args) -> g.spawn(args.arg(2)));
        method(VM_METHODS, "vm", "shutdown", (g, args) -> {
            g.vm.shutdown();
            return LuaValue.NONE;
        });
        method(VM_METHODS, "vm", "kill", (g, args) -> {
            g.vm.kill();
            return LuaValue.NONE;
        });
        method(WORKER_METHODS, "worker", "kill", (g, args) -> {
            g.worker.kill();
            return LuaValue.NONE;
        });
    }

    private final GuestChannel guest;
    private final Vm vm;
    private final Worker worker;
    private final FileRunContext context;
    private final LuaJobs jobs;

    private LuaGuest(GuestChannel guest, Vm vm, Worker worker, FileRunContext context) {
        this.guest = guest;
        this.vm = vm;
        this.worker = worker;
        this.context = context;
        this.jobs = new LuaJobs(guest, context);
    }

    /** The methods of VM userdata (for checks of the LuaLS definitions). */
    static LuaTable vmMethods() {
        return VM_METHODS;
    }

    /** The methods of worker userdata. */
    static LuaTable workerMethods() {
        return WORKER_METHODS;
    }

    static LuaValue wrap(Vm vm, FileRunContext context) {
        return new LuaUserdata(new LuaGuest(vm, vm, null, context), VM_METATABLE);
    }

    static LuaValue wrap(Worker worker, FileRunContext context) {
        return new LuaUserdata(new LuaGuest(worker, null, worker, context), WORKER_METATABLE);
    }

    /** The VM behind a VM userdata; empty for any other value (workers included). */
    static Optional<Vm> unwrap(LuaValue value) {
        return value.isuserdata(LuaGuest.class) && value.getmetatable() == VM_METATABLE
                ? Optional.of(((LuaGuest) value.touserdata(LuaGuest.class)).vm) : Optional.empty();
    }

    @Override
    public String toString() {
        return worker != null ? worker.toString() : vm.toString();
    }

    /** {@code vm:spawn({thread = false})}: a worker that ends with the running test (or the file). */
    private LuaValue spawn(LuaValue opts) {
        boolean thread = false;
        if (!opts.isnil()) {
            if (!opts.istable()) {
                throw Args.bad("spawn", 2, "table", opts);
            }
            for (Varargs entry = opts.next(LuaValue.NIL); !entry.arg1().isnil(); entry = opts.next(entry.arg1())) {
                if (!SPAWN_OPTIONS.contains(entry.arg1().tojstring())) {
                    throw new LuaError("spawn: unknown option '" + entry.arg1().tojstring() + "' (known: thread)");
                }
            }
            LuaValue value = opts.get("thread");
            if (!value.isnil() && !value.isboolean()) {
                throw new LuaError("spawn: thread must be a boolean, got " + Args.typeName(value));
            }
            thread = value.optboolean(false);
        }
        Worker spawned = context.currentScope().register(vm.spawn(thread));
        return wrap(spawned, context);
    }

    private static void guestMethod(String name, BiFunction<LuaGuest, Varargs, Varargs> body) {
        method(VM_METHODS, "vm", name, body);
        method(WORKER_METHODS, "worker", name, body);
    }

    private static void method(LuaTable methods, String kind, String name, BiFunction<LuaGuest, Varargs, Varargs> body) {
        methods.set(name, LuaFunctions.named(name, args -> {
            LuaGuest self = self(methods, kind, name, args);
            try {
                return body.apply(self, args);
            } catch (AgentErrorException | IllegalStateException | IllegalArgumentException e) {
                throw new LuaError(name + ": " + e.getMessage());
            }
        }));
    }

    private static LuaGuest self(LuaTable methods, String kind, String method, Varargs args) {
        LuaValue self = args.arg1();
        LuaTable expected = methods == VM_METHODS ? VM_METATABLE : WORKER_METATABLE;
        if (self.isuserdata(LuaGuest.class) && self.getmetatable() == expected) {
            return (LuaGuest) self.touserdata(LuaGuest.class);
        }
        throw Args.bad(method, 1, kind + " expected, got " + Args.typeName(self) + "; call it as " + kind + ":" + method + "(...)");
    }

    private static LuaTable metatable(LuaTable methods, String kind) {
        LuaTable metatable = new LuaTable();
        metatable.set(LuaValue.INDEX, methods);
        metatable.set(LuaValue.TOSTRING, LuaFunctions.named("tostring", args -> LuaValue.valueOf(args.arg1().touserdata().toString())));
        metatable.set("__name", LuaValue.valueOf(kind));
        return metatable;
    }

    /** {@code vm:exec(cmd, {timeout = seconds})}: the options table, checked; empty without a timeout. */
    private static Optional<Duration> execTimeout(LuaValue opts) {
        if (opts.isnil()) {
            return Optional.empty();
        }
        if (!opts.istable()) {
            throw Args.bad("exec", 3, "table", opts);
        }
        for (Varargs entry = opts.next(LuaValue.NIL); !entry.arg1().isnil(); entry = opts.next(entry.arg1())) {
            if (!EXEC_OPTIONS.contains(entry.arg1().tojstring())) {
                throw new LuaError("exec: unknown option '" + entry.arg1().tojstring() + "' (known: timeout)");
            }
        }
        LuaValue timeout = opts.get("timeout");
        if (timeout.isnil()) {
            return Optional.empty();
        }
        double seconds = timeout.type() == LuaValue.TNUMBER ? timeout.todouble() : Double.NaN;
        if (!(seconds >= 0.001 && seconds <= MAX_EXEC_TIMEOUT_SECONDS)) {
            throw new LuaError("exec: timeout must be a number of seconds from 0.001 to " + (long) MAX_EXEC_TIMEOUT_SECONDS
                    + ", got " + (timeout.type() == LuaValue.TNUMBER ? timeout.tojstring() : Args.typeName(timeout)));
        }
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /**
     * {@code {ok, exit_code, stdout, stderr}}; a command the agent killed at its deadline also has
     * {@code timed_out = true} and {@code message}, which says so.
     */
    private static LuaTable execResult(String command, ExecResult result, Duration timeout) {
        LuaTable table = new LuaTable();
        table.set("ok", LuaValue.valueOf(result.exitCode() == 0 && !result.timedOut()));
        table.set("exit_code", LuaValue.valueOf(result.exitCode()));
        table.set("stdout", StringWrapper.wrap(result.stdout()));
        table.set("stderr", StringWrapper.wrap(result.stderr()));
        if (result.timedOut()) {
            // Only then: scripts written for the original API compare results as a whole.
            table.set("timed_out", LuaValue.TRUE);
            String limit = timeout != null ? seconds(timeout) + "s" : "the operation timeout";
            table.set("message", LuaValue.valueOf("exec `" + abbreviate(command) + "` timed out after " + limit
                    + " and was killed (exit code " + result.exitCode() + ")"
                    + (timeout == null ? "; give it more time with vm:exec(cmd, {timeout = seconds}) or operation_timeout" : "")));
        }
        return table;
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    static String abbreviate(String command) {
        String line = command.replace('\n', ' ');
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }
}
