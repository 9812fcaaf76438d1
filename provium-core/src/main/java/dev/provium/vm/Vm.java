package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.internal.agent.AgentChannel;
import dev.provium.internal.agent.AgentClient;
import dev.provium.guest.AgentErrorException;
import dev.provium.internal.agent.AgentException;
import dev.provium.internal.agent.AgentOverflowException;
import dev.provium.internal.agent.AgentTimeoutException;
import dev.provium.config.KeepLogs;
import dev.provium.config.Profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One QEMU guest with the Provium agent inside. Created by {@link VmService#create(String)}, booted
 * with {@link #boot(BootOptions)} (which returns once the agent answers), driven through the agent, and
 * stopped with {@link #shutdown()} or {@link #kill()}; {@link #close()} kills a guest still running.
 * Operations in the wrong state fail with a message naming the state. Trouble with the guest (QEMU
 * gone, kernel panic, no answer in time) is a {@link VmException} carrying the console tail, and the
 * console log is then kept. An operation that runs out of time is cancelled in the agent; the guest
 * stays usable when the agent ended it, and is failed (stopped) when it did not, since its channel would
 * serve nothing else.
 */
@API(status = STABLE)
public final class Vm extends ChannelOperations implements AutoCloseable {
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofMinutes(5);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    public enum State { CREATED, BOOTING, RUNNING, STOPPED, FAILED }

    private final VmService service;
    private final Profile profile;
    private final String name;
    private State state = State.CREATED;
    private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
    private Guest guest;
    private BootOptions bootOptions;
    private boolean keepLogs;

    Vm(VmService service, Profile profile) {
        this.service = service;
        this.profile = profile;
        this.name = profile.name();
    }

    public String name() {
        return name;
    }

    public Profile profile() {
        return profile;
    }

    public synchronized State state() {
        return state;
    }

    /** The serial console log of the current or last boot. */
    public synchronized Optional<Path> consoleLog() {
        return guest == null ? Optional.empty() : Optional.of(guest.console().file());
    }

    /** The last lines of the serial console of the current or last boot (empty when there was none). */
    public synchronized String consoleTail() {
        return guest == null ? "" : guest.console().tail();
    }

    /** The options this guest was booted with; empty when it was not booted but resumed from a snapshot. */
    public synchronized Optional<BootOptions> bootOptions() {
        return Optional.ofNullable(bootOptions);
    }

    /** The process id of the current guest's QEMU. */
    public synchronized OptionalLong qemuPid() {
        return guest == null ? OptionalLong.empty() : OptionalLong.of(guest.qemu().pid());
    }

    /** The agent's connection, for operations this class does not wrap. */
    public synchronized AgentClient agent() {
        return requireRunning("use the agent of").agent();
    }

    /** The timeout of every later guest operation (default 5 minutes). */
    public synchronized void operationTimeout(Duration timeout) {
        this.operationTimeout = timeout;
    }

    /** Keeps this guest's console log and run files when it stops, e.g. because its test failed. */
    public synchronized void keepLogs() {
        this.keepLogs = true;
    }

    /** Boots with the default options (512M, one vCPU). */
    public void boot() {
        boot(BootOptions.defaults());
    }

    /**
     * Starts QEMU and blocks until the agent has answered its handshake, the boot timeout passed,
     * QEMU exited or the kernel panicked.
     */
    public void boot(BootOptions options) {
        start("boot", () -> Guest.boot(service, profile, options));
        synchronized (this) {
            bootOptions = options;
        }
    }

    /** Starts this guest from a snapshot instead of booting it; returns when the agent answered. */
    void resume(VmSnapshot snapshot) {
        start("resume", () -> Guest.resume(service, profile, snapshot));
    }

    private void start(String action, Supplier<Guest> starter) {
        synchronized (this) {
            requireState(State.CREATED, action);
            state = State.BOOTING;
        }
        try {
            Guest started = starter.get();
            synchronized (this) {
                guest = started;
                state = State.RUNNING;
            }
            service.started(this);
        } catch (RuntimeException e) {
            synchronized (this) {
                state = State.FAILED;
            }
            throw e;
        }
    }

    /**
     * Saves this running guest into directory (created if missing) so that
     * {@link VmService#resume(VmSnapshot)} can start copies of it, then stops it: the agent is checked to
     * be idle, the guest paused and its state written, and QEMU ended. A guest with a writable disk
     * cannot be saved: every copy would write to the one disk.
     *
     * @throws IllegalStateException when the guest is not running or has a writable disk
     * @throws VmException           when the agent does not answer or QEMU cannot save the state
     */
    public VmSnapshot snapshotAndStop(Path directory) {
        Guest running;
        synchronized (this) {
            running = requireRunning("snapshot");
            for (Disk disk : running.layout().disks()) {
                if (!disk.readOnly()) {
                    throw new IllegalStateException("cannot snapshot vm " + name + ": its disk " + disk.path()
                            + " is writable, and every VM resumed from the snapshot would write to it; attach it read-only");
                }
            }
        }
        boolean saved = false;
        try {
            Files.createDirectories(directory);
            VmSnapshot snapshot = VmSnapshot.write(directory, profile.name(), running.snapshot(directory, operationTimeout));
            saved = true;
            return snapshot;
        } catch (AgentException | QmpException | QemuException e) {
            throw running.trouble("snapshot of vm " + name + " into " + directory + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw running.trouble("snapshot of vm " + name + " into " + directory + " failed: " + e, e);
        } finally {
            stop(saved ? State.STOPPED : State.FAILED);
        }
    }

    @Override
    public String describe() {
        return "vm " + name;
    }

    @Override
    <T> T onChannel(String what, Function<AgentChannel, T> operation) {
        return callOn(0, what, operation);
    }

    /**
     * Starts a worker: a fork of the agent, or ({@code thread}) a thread of the agent with its own
     * credentials that shares the agent's memory and descriptors. Kill it with {@link Worker#kill()}.
     */
    public Worker spawn(boolean thread) {
        return new Worker(this, call(thread ? "spawn a thread worker" : "spawn a worker",
                agent -> agent.spawn(thread, operationTimeout())));
    }

    void killWorker(int channel) {
        call("kill the worker on channel " + channel, agent -> {
            agent.killWorker(channel, operationTimeout());
            return null;
        });
    }

    @Override
    synchronized Duration operationTimeout() {
        return operationTimeout;
    }

    /** An operation on one of the agent's channels; a worker that does not answer does not fail the guest. */
    <T> T callOn(int channel, String what, Function<AgentChannel, T> operation) {
        return call(what, agent -> operation.apply(agent.channel(channel)), channel == 0);
    }

    /** Asks the agent to power the guest off, waits up to 10 s for QEMU to exit, then kills it. */
    public void shutdown() {
        Guest running;
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            running = requireRunning("shut down");
        }
        try {
            running.shutdown(SHUTDOWN_WAIT);
        } finally {
            stop(State.STOPPED);
        }
    }

    /** Terminates QEMU now. Safe to call in any state and more than once. */
    public void kill() {
        Guest running;
        synchronized (this) {
            running = guest;
        }
        try {
            if (running != null) {
                running.kill();
            }
        } finally {
            stop(State.STOPPED);
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "vm " + name + " (" + state().name().toLowerCase() + ")";
    }

    private <T> T call(String what, Function<AgentClient, T> operation) {
        return call(what, operation, true);
    }

    private <T> T call(String what, Function<AgentClient, T> operation, boolean agentChannel) {
        Guest running;
        synchronized (this) {
            running = requireRunning("run " + what + " on");
        }
        try {
            return operation.apply(running.agent());
        } catch (AgentErrorException e) {
            throw e;
        } catch (AgentException e) {
            VmException failure = running.trouble(what + " failed: " + e.getMessage(), e);
            // The agent serves one request at a time: after a request it never finished, nothing else would be.
            // A timed-out request that the agent ended when the client cancelled it leaves the channel free.
            boolean channelStuck = e instanceof AgentTimeoutException timeout && !timeout.requestEnded()
                    || e instanceof AgentOverflowException;
            if (!running.qemu().isAlive() || agentChannel && channelStuck) {
                stop(State.FAILED);
            }
            throw failure;
        }
    }

    private void stop(State finalState) {
        Guest stopped;
        synchronized (this) {
            stopped = guest;
            if (state != State.FAILED) {
                state = finalState;
            }
        }
        if (stopped != null) {
            KeepLogs policy = service.config().keepLogs();
            boolean keep = policy == KeepLogs.ALWAYS
                    || policy == KeepLogs.FAILED && (keepLogs || stopped.troubled());
            stopped.release(keep);
        }
        service.stopped(this);
    }

    private Guest requireRunning(String action) {
        requireState(State.RUNNING, action);
        return guest;
    }

    private void requireState(State required, String action) {
        if (state != required) {
            throw new IllegalStateException("cannot " + action + " vm " + name + ": it is " + describe(state)
                    + (state == State.FAILED && guest != null ? " (console log: " + guest.console().file() + ")" : ""));
        }
    }

    private static String describe(State state) {
        return switch (state) {
            case CREATED -> "not booted yet";
            case BOOTING -> "still booting";
            case RUNNING -> "running";
            case STOPPED -> "stopped";
            case FAILED -> "failed";
        };
    }
}
