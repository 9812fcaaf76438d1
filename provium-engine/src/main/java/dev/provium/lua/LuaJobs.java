package dev.provium.lua;

import dev.provium.guest.AgentErrorException;
import dev.provium.guest.Job;
import dev.provium.guest.JobResult;
import dev.provium.vm.GuestChannel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code vm:background(cmd)} → {@code {id, pid}}; {@code vm:job_wait(job, timeout?)} and {@code vm:job_kill(job)} →
 * {@code {exit_code, stdout, stderr, running}} (exit code -1 while running; timeout in seconds, 0 or nil polls).
 * A job's final result is kept, so asking again returns it; a job still running when the test (or file) that
 * started it ends is killed.
 */
final class LuaJobs {
    private final GuestChannel guest;
    private final FileRunContext context;
    private final Map<Long, Tracked> jobs = new ConcurrentHashMap<>();

    LuaJobs(GuestChannel guest, FileRunContext context) {
        this.guest = guest;
        this.context = context;
    }

    Varargs background(Varargs args) {
        String command = Args.string("background", args, 2).tojstring();
        Job job = guest.background(command);
        Tracked tracked = new Tracked(job, command);
        jobs.put(job.id(), tracked);
        context.currentScope().register(tracked);
        LuaTable table = new LuaTable();
        table.set("id", LuaValue.valueOf((double) job.id()));
        table.set("pid", LuaValue.valueOf((double) job.pid()));
        return table;
    }

    Varargs jobWait(Varargs args) {
        Tracked tracked = job("job_wait", args);
        LuaValue timeout = args.arg(3);
        if (!timeout.isnil() && (timeout.type() != LuaValue.TNUMBER || timeout.todouble() < 0
                || Double.isNaN(timeout.todouble()) || timeout.todouble() > 0xFFFF_FFFFL / 1000.0)) {
            throw Args.bad("job_wait", 3, "timeout must be a number of seconds, 0 or more, got "
                    + (timeout.type() == LuaValue.TNUMBER ? timeout.tojstring() : Args.typeName(timeout)));
        }
        Duration wait = Duration.ofNanos(Math.round(timeout.optdouble(0) * 1e9));
        return tracked.result(() -> guest.jobWait(tracked.job.id(), wait));
    }

    Varargs jobKill(Varargs args) {
        Tracked tracked = job("job_kill", args);
        if (args.narg() > 2) {
            throw Args.bad("job_kill", 3, "job_kill takes the job only, got " + (args.narg() - 1) + " arguments");
        }
        return tracked.result(() -> guest.jobKill(tracked.job.id()));
    }

    /** Argument 2: a table from {@code background} or a job id. */
    private Tracked job(String function, Varargs args) {
        LuaValue job = args.arg(2);
        LuaValue id = job.istable() ? job.get("id") : job;
        if (id.type() != LuaValue.TNUMBER || id.todouble() != Math.rint(id.todouble())) {
            throw Args.bad(function, 2, "job (the table background returned) or job id expected, got "
                    + (job.istable() ? "a table without an integer id" : Args.typeName(job)));
        }
        Tracked tracked = jobs.get((long) id.todouble());
        LuaValue pid = job.istable() ? job.get("pid") : LuaValue.NIL;
        if (tracked == null || pid.isnumber() && pid.todouble() != tracked.job.pid()) {
            throw Args.bad(function, 2, "no job " + id.tojstring() + (pid.isnumber() ? " (pid " + pid.tojstring() + ")" : "")
                    + " was started on " + guest.describe() + " (jobs belong to the vm or worker that started them)");
        }
        return tracked;
    }

    private static LuaTable table(JobResult result) {
        LuaTable table = new LuaTable();
        table.set("exit_code", LuaValue.valueOf(result.exitCode()));
        table.set("stdout", LuaString.valueOf(result.stdout()));
        table.set("stderr", LuaString.valueOf(result.stderr()));
        table.set("running", LuaValue.valueOf(result.running()));
        return table;
    }

    /** One job started here; killed when its owner (test or file) ends, unless it has ended already. */
    private final class Tracked implements AutoCloseable {
        final Job job;
        final String command;
        volatile JobResult last;

        Tracked(Job job, String command) {
            this.job = job;
            this.command = command;
        }

        synchronized LuaTable result(java.util.function.Supplier<JobResult> ask) {
            if (last == null || last.running()) {
                last = ask.get();
            }
            return table(last);
        }

        @Override
        public synchronized void close() {
            if (last != null && !last.running()) {
                return;
            }
            try {
                last = guest.jobKill(job.id());
            } catch (IllegalStateException | AgentErrorException gone) {
                // The guest or worker is gone, and the job with it.
            }
        }

        @Override
        public String toString() {
            return "job " + job.id() + " (`" + command + "`) on " + guest.describe();
        }
    }
}
