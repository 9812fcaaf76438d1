package dev.provium.vm;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every QEMU this JVM started and that has not ended yet, killed by a shutdown hook when the JVM exits (which
 * then deletes the run directories left open).
 * The second cleanup layer; the first is the parent-death signal (see {@link QemuProcess}), which also
 * covers a JVM that is killed with SIGKILL and runs no hooks.
 */
final class LiveQemus {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private LiveQemus() {
    }

    static void add(Process process) {
        installHook();
        LIVE.add(process);
    }

    /**
     * Once per JVM: a shutdown hook (an orderly exit, SIGTERM, SIGINT) that kills every live QEMU, then deletes
     * the run directories still open, sockets and logs included.
     */
    static void installHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    killAll();
                } finally {
                    RunDirectory.closeAll();
                }
            }, "provium-qemu-reaper"));
        }
    }

    static void remove(Process process) {
        LIVE.remove(process);
    }

    static int count() {
        LIVE.removeIf(process -> !process.isAlive());
        return LIVE.size();
    }

    /** Kills (SIGKILL) every live QEMU and waits briefly for each; returns how many were alive. */
    static int killAll() {
        List<Process> victims = List.copyOf(LIVE);
        victims.forEach(Process::destroyForcibly);
        int killed = 0;
        for (Process process : victims) {
            try {
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(process);
            killed++;
        }
        return killed;
    }
}
