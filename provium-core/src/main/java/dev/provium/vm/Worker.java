package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.internal.agent.AgentChannel;
import dev.provium.guest.AgentErrorException;
import dev.provium.internal.agent.WorkerInfo;

import java.time.Duration;
import java.util.function.Function;

/**
 * A worker of a {@link Vm}'s agent ({@link Vm#spawn(boolean)}): a forked agent process, or a thread of the
 * agent with its own credentials, serving a channel of its own. It runs every guest operation; after
 * {@link #kill()} they fail with an {@link IllegalStateException}.
 */
@API(status = STABLE)
public final class Worker extends ChannelOperations implements AutoCloseable {
    private static final String NOT_FOUND = "NOT_FOUND";

    private final Vm vm;
    private final WorkerInfo info;
    private volatile boolean killed;

    Worker(Vm vm, WorkerInfo info) {
        this.vm = vm;
        this.info = info;
    }

    public int channel() {
        return info.channel();
    }

    /** The worker's process id (for a thread worker, the agent's). */
    public long pid() {
        return info.pid();
    }

    /** The worker's thread id (for a forked worker, its pid). */
    public long tid() {
        return info.tid();
    }

    public boolean isThread() {
        return info.thread();
    }

    public boolean isKilled() {
        return killed;
    }

    /**
     * Ends the worker once its current request is done (a system call it is blocked in is interrupted) and
     * kills its jobs. Safe to call twice; a worker of a guest that is no longer running, or one that has ended
     * by itself (it crashed, or a system call ended it), is just marked killed.
     */
    public void kill() {
        synchronized (this) {
            if (killed) {
                return;
            }
            killed = true;
        }
        if (vm.state() != Vm.State.RUNNING) {
            return;
        }
        try {
            vm.killWorker(channel());
        } catch (AgentErrorException e) {
            // The agent gave out this channel, so NOT_FOUND means the worker has ended and the agent let it go.
            if (!NOT_FOUND.equals(e.codeName())) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String describe() {
        return (isThread() ? "thread worker" : "worker") + " on channel " + channel() + " (pid " + pid()
                + (isThread() ? ", tid " + tid() : "") + ") of " + vm.describe();
    }

    @Override
    public String toString() {
        return describe() + (killed ? " (killed)" : "");
    }

    @Override
    Duration operationTimeout() {
        return vm.operationTimeout();
    }

    @Override
    <T> T onChannel(String what, Function<AgentChannel, T> operation) {
        if (killed) {
            throw new IllegalStateException("cannot run " + what + " on the " + describe() + ": it was killed");
        }
        return vm.callOn(channel(), what + " in the " + (isThread() ? "thread worker" : "worker") + " on channel "
                + channel(), operation);
    }
}
