package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.internal.agent.AgentChannel;
import dev.provium.internal.agent.AgentClient;
import dev.provium.guest.AgentErrorException;
import dev.provium.internal.agent.AgentException;
import dev.provium.internal.agent.AgentOverflowException;
import dev.provium.internal.agent.AgentTimeoutException;
import dev.provium.config.Constants;
import dev.provium.config.KeepLogs;
import dev.provium.config.Profile;
import dev.provium.guest.ExecResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

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
    /** The operation timeout when the configuration sets none ({@code operation_timeout}). */
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(Constants.DEFAULT_OPERATION_TIMEOUT_SECONDS);
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    public enum State { CREATED, BOOTING, RUNNING, STOPPED, FAILED }

    private final VmService service;
    private final Profile profile;
    private final String name;
    private State state = State.CREATED;
    private Duration operationTimeout;
    private Guest guest;
    private BootOptions bootOptions;
    private boolean keepLogs;
    private String logGroup = LogPlace.DEFAULT_GROUP;
    private LogPlace logs;

    Vm(VmService service, Profile profile) {
        this.service = service;
        this.profile = profile;
        this.name = profile.name();
        this.operationTimeout = service.config().operationTimeout();
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

    /**
     * Where the console log goes when this guest stops with its logs kept ({@link #keepLogs()}, a failure, or
     * {@code keep_logs = always}): {@code <log_dir>/<group>/<vm>/console.log}. Empty before a boot and when logs
     * are never kept.
     */
    public synchronized Optional<Path> keptConsoleLog() {
        if (logs == null || service.config().keepLogs() == KeepLogs.NEVER) {
            return Optional.empty();
        }
        return Optional.of(logs.directory().resolve("console.log"));
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

    /** The private directory of the current guest's sockets and logs (deleted when it stops). */
    synchronized Optional<Path> runDirectory() {
        return guest == null ? Optional.empty() : Optional.of(guest.run().path());
    }

    /** The agent's connection, for operations this class does not wrap. */
    public synchronized AgentClient agent() {
        return requireRunning("use the agent of").agent();
    }

    /**
     * The timeout of every later guest operation that names none of its own (default: the configuration's
     * {@code operation_timeout}, 300 s unless set).
     */
    public synchronized void operationTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("operation timeout " + timeout + " is not positive");
        }
        this.operationTimeout = timeout;
    }

    /**
     * Where this guest's logs go when kept: {@code <log_dir>/<group>/<vm name>/}; the engine passes the test
     * file. Set it before booting. Default {@value LogPlace#DEFAULT_GROUP}.
     */
    public synchronized void logGroup(String group) {
        requireState(State.CREATED, "set the log group of");
        this.logGroup = group;
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
     * Starts the guest and blocks until the agent has answered its handshake, the boot timeout passed,
     * QEMU exited or the kernel panicked.
     *
     * <p>When the boot cache may serve it (see {@link #bootCacheRefusal(BootOptions)}), the guest is resumed
     * from the snapshot of the same guest taken right after its first boot; without one, it boots cold, is
     * saved and resumed, and the snapshot is kept for later boots. The files are then written through the
     * agent. Otherwise QEMU boots the kernel with the files in the initramfs.
     */
    public void boot(BootOptions options) {
        Optional<String> cold = bootCacheRefusal(options);
        start("boot", logs -> cold.isPresent() ? Guest.boot(service, profile, options, logs) : fromBootCache(options, logs));
        synchronized (this) {
            bootOptions = options;
        }
    }

    /** Why this boot does not use the boot cache; empty when it does. */
    Optional<String> bootCacheRefusal(BootOptions options) {
        if (options.coldBoot()) {
            return Optional.of("a cold boot was asked for");
        }
        if (!profile.bootCache()) {
            return Optional.of("profile " + profile.name() + " has boot_cache = false");
        }
        if (service.bootCache().isEmpty()) {
            return Optional.of("no boot cache is installed");
        }
        for (Disk disk : options.disks()) {
            if (!disk.readOnly()) {
                return Optional.of("its disk " + disk.path() + " is writable");
            }
        }
        if (profile.init().isPresent() && !options.files().isEmpty()) {
            return Optional.of("profile " + profile.name() + " starts " + profile.init().get()
                    + ", which may read the injected files while it boots");
        }
        return Optional.empty();
    }

    /**
     * A guest resumed from the boot cache, with the files written into it. A cached snapshot that does not
     * resume (say after a kernel module of the host changed under it) is discarded and the guest booted cold.
     */
    private Guest fromBootCache(BootOptions options, LogPlace logs) {
        BootOptions withoutFiles = options.withFiles(Map.of());
        BootCache cache = service.bootCache().orElseThrow();
        VmSnapshot snapshot = cache.snapshot(profile, withoutFiles,
                directory -> Guest.bootAndSave(service, profile, withoutFiles, directory));
        Guest guest;
        try {
            snapshot.verify();
            guest = Guest.resume(service, profile, snapshot, logs);
        } catch (SnapshotException e) {
            service.notices().notice("provium: the boot snapshot " + snapshot.directory() + " of vm " + name
                    + " does not resume (" + firstLine(e.getMessage()) + "); booting cold, a new snapshot is saved next time");
            cache.discard(snapshot);
            return Guest.boot(service, profile, options, logs);
        } catch (VmException e) {
            if (e.getCause() instanceof ResourcePoolException || Thread.currentThread().isInterrupted()) {
                throw e;
            }
            service.notices().notice("provium: the boot snapshot " + snapshot.directory() + " of vm " + name
                    + " does not resume (" + firstLine(e.getMessage()) + "); booting cold, a new snapshot is saved next time");
            cache.discard(snapshot);
            return Guest.boot(service, profile, options, logs);
        }
        try {
            injectFiles(guest, options.files());
            return guest;
        } catch (AgentErrorException | AgentException | IOException e) {
            VmException failure = guest.trouble("vm " + name + ": writing the boot files into the guest failed: " + e.getMessage(), e);
            guest.release(service.config().keepLogs() != KeepLogs.NEVER);
            throw failure;
        }
    }

    /** Writes each file at its guest path (parent directories created), with the host file's permission bits. */
    private void injectFiles(Guest guest, Map<String, Path> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        Duration timeout = operationTimeout();
        StringBuilder mkdir = new StringBuilder("mkdir -p");
        for (String path : files.keySet()) {
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                mkdir.append(" '").append(path.substring(0, slash).replace("'", "'\\''")).append('\'');
            }
        }
        if (!mkdir.toString().equals("mkdir -p")) {
            ExecResult made = guest.agent().exec(mkdir.toString(), timeout);
            if (made.exitCode() != 0) {
                throw new IOException("`" + mkdir + "` failed with exit code " + made.exitCode() + ": " + made.stderrText().strip());
            }
        }
        for (Map.Entry<String, Path> file : files.entrySet()) {
            guest.agent().writeFile(file.getKey(), file.getValue(), permissions(file.getValue()), timeout);
        }
    }

    private static int permissions(Path host) throws IOException {
        try {
            return (Integer) Files.getAttribute(host, "unix:mode") & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.isExecutable(host) ? 0755 : 0644;
        }
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    /** Starts this guest from a snapshot instead of booting it; returns when the agent answered. */
    void resume(VmSnapshot snapshot) {
        start("resume", logs -> Guest.resume(service, profile, snapshot, logs));
    }

    private void start(String action, Function<LogPlace, Guest> starter) {
        LogPlace logs;
        synchronized (this) {
            requireState(State.CREATED, action);
            state = State.BOOTING;
            logs = new LogPlace(service.config().logDir(), logGroup, name);
            this.logs = logs;
        }
        try {
            Guest started = starter.apply(logs);
            boolean killedMeanwhile;
            boolean keep;
            synchronized (this) {
                keep = keepLogs;
                killedMeanwhile = state != State.BOOTING;
                if (!killedMeanwhile) {
                    guest = started;
                    state = State.RUNNING;
                }
            }
            if (killedMeanwhile) {
                started.release(keep);
                throw new VmException("vm " + name + " was killed while it was starting (" + action + ")", "", null, null);
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

    /**
     * The last {@code lines} lines of the guest's kernel log (all levels: guests boot {@code quiet}, so the console
     * has errors only), when the guest runs and answers within {@code wait}; empty otherwise. For failure reports:
     * it never throws.
     */
    public Optional<String> kernelLogTail(int lines, Duration wait) {
        if (state() != State.RUNNING) {
            return Optional.empty();
        }
        try {
            ExecResult log = exec("dmesg | tail -n " + lines, wait);
            String text = log.stdoutText().stripTrailing();
            return log.exitCode() == 0 && !text.isEmpty() ? Optional.of(text) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // the guest cannot say; what failed is reported on its own
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

    /**
     * Terminates QEMU now. Safe to call in any state and more than once; a boot or resume running in another
     * thread then fails with a {@link VmException} once its QEMU is up, and stops that QEMU.
     */
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
