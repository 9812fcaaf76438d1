package dev.provium.lua;

import dev.provium.agent.AgentErrorException;
import dev.provium.agent.ExecResult;
import dev.provium.vm.Vm;

import java.util.Optional;
import java.util.function.BiFunction;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * VM userdata: {@code vm:boot}, {@code vm:exec}, {@code vm:json}, files, {@code vm:mount_vfs},
 * {@code vm:wait_until}, {@code vm:shutdown}, {@code vm:kill}. Argument mistakes and guest-side errors
 * (a missing file, a wrong state) are Lua errors a script can catch; trouble with the guest itself (QEMU
 * gone, no answer) propagates as the VM layer's exception, carrying the console tail.
 */
final class LuaVm {
    private static final LuaTable METHODS = new LuaTable();
    private static final LuaTable METATABLE = new LuaTable();

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
        method("boot", (vm, args) -> {
            vm.vm.boot(LuaBootOptions.from(args.arg(2), vm.context.projectDir()));
            return LuaValue.NONE;
        });
        method("exec", (vm, args) -> execResult(vm.vm.exec(Args.string("exec", args, 2).tojstring())));
        method("json", (vm, args) -> LuaJson.commandOutput(vm.vm, Args.string("json", args, 2).tojstring()));
        method("read_file", (vm, args) -> LuaString.valueOf(vm.vm.readFile(Args.string("read_file", args, 2).tojstring())));
        method("write_file", (vm, args) -> {
            String path = Args.string("write_file", args, 2).tojstring();
            LuaString data = Args.string("write_file", args, 3);
            byte[] bytes = new byte[data.rawlen()];
            data.copyInto(0, bytes, 0, bytes.length);
            vm.vm.writeFile(path, bytes);
            return LuaValue.NONE;
        });
        method("mount_vfs", (vm, args) -> {
            ExecResult result = vm.vm.exec(MOUNT_VFS);
            if (result.exitCode() != 0) {
                throw new LuaError("mount_vfs failed (exit " + result.exitCode() + "): " + result.stderrText().strip());
            }
            return LuaValue.NONE;
        });
        method("wait_until", (vm, args) -> WaitUntil.poll(Args.function("wait_until", args, 2), args.arg(3)));
        method("shutdown", (vm, args) -> {
            vm.vm.shutdown();
            return LuaValue.NONE;
        });
        method("kill", (vm, args) -> {
            vm.vm.kill();
            return LuaValue.NONE;
        });
        METATABLE.set(LuaValue.INDEX, METHODS);
        METATABLE.set(LuaValue.TOSTRING, LuaFunctions.named("tostring", args -> LuaValue.valueOf(args.arg1().touserdata().toString())));
        METATABLE.set("__name", LuaValue.valueOf("vm"));
    }

    private final Vm vm;
    private final FileRunContext context;

    private LuaVm(Vm vm, FileRunContext context) {
        this.vm = vm;
        this.context = context;
    }

    static LuaValue wrap(Vm vm, FileRunContext context) {
        return new LuaUserdata(new LuaVm(vm, context), METATABLE);
    }

    /** The VM behind a VM userdata; empty for any other value. */
    static Optional<Vm> unwrap(LuaValue value) {
        return value.isuserdata(LuaVm.class) ? Optional.of(((LuaVm) value.touserdata(LuaVm.class)).vm) : Optional.empty();
    }

    @Override
    public String toString() {
        return vm.toString();
    }

    private static void method(String name, BiFunction<LuaVm, Varargs, Varargs> body) {
        METHODS.set(name, LuaFunctions.named(name, args -> {
            LuaVm self = self(name, args);
            try {
                return body.apply(self, args);
            } catch (AgentErrorException | IllegalStateException | IllegalArgumentException e) {
                throw new LuaError(name + ": " + e.getMessage());
            }
        }));
    }

    private static LuaVm self(String method, Varargs args) {
        LuaValue self = args.arg1();
        if (self.isuserdata(LuaVm.class)) {
            return (LuaVm) self.touserdata(LuaVm.class);
        }
        throw Args.bad(method, 1, "vm expected, got " + Args.typeName(self) + "; call it as vm:" + method + "(...)");
    }

    private static LuaTable execResult(ExecResult result) {
        LuaTable table = new LuaTable();
        table.set("ok", LuaValue.valueOf(result.exitCode() == 0));
        table.set("exit_code", LuaValue.valueOf(result.exitCode()));
        table.set("stdout", StringWrapper.wrap(result.stdout()));
        table.set("stderr", StringWrapper.wrap(result.stderr()));
        return table;
    }
}
