package dev.provium.vm;

import dev.provium.internal.agent.AgentClient;
import dev.provium.internal.agent.AgentException;
import dev.provium.config.KeepLogs;
import dev.provium.config.Profile;
import dev.provium.image.GuestImageSpec;
import dev.provium.image.KernelNotFoundException;
import dev.provium.image.Kernel;
import dev.provium.image.BootKernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.io.UncheckedIOException;

/**
 * The parts of one running guest — run directory, QEMU, agent connection and resource lease — and the
 * order in which they are set up and torn down. A failed boot tears down what it set up.
 */
final class Guest {
    private static final Duration SHUTDOWN_ACK = Duration.ofSeconds(5);
    private static final Duration EXIT_AFTER_DISCONNECT = Duration.ofSeconds(2);
    private static final String INITRD = "initrd.cpio";
    /** The full state a snapshot is first saved as, before it becomes a template; deleted after. */
    private static final String FULL_STATE = "state.full";

    private final RunDirectory run;
    private final ConsoleLog console;
    private final ResourcePool.Lease lease;
    private final QemuProcess qemu;
    private final AgentClient agent;
    private final GuestLayout layout;
    private final VmService service;
    private final LogPlace logs;
    private final String who;
    /** The file the guest's RAM is written through to (a template being made), or null. */
    private final Path sharedMemory;
    private volatile boolean troubled;
    private boolean released;

    private Guest(RunDirectory run, ConsoleLog console, ResourcePool.Lease lease, QemuProcess qemu, AgentClient agent,
                  GuestLayout layout, Path sharedMemory, VmService service, LogPlace logs, String who) {
        this.sharedMemory = sharedMemory;
        this.run = run;
        this.console = console;
        this.lease = lease;
        this.qemu = qemu;
        this.agent = agent;
        this.layout = layout;
        this.service = service;
        this.logs = logs;
        this.who = who;
        agent.replyLimit(service.config().replyLimit().bytes());
        run.restrictFiles();
    }

    /** Boots the guest cold: the kernel starts afresh, with plain RAM. */
    static Guest boot(VmService service, Profile profile, BootOptions options, LogPlace logs) {
        return start(service, profile, options, null, logs);
    }

    /**
     * Boots the guest cold, saves it into directory as soon as the agent answers and stops it. Its RAM is
     * kept in the snapshot's {@value VmSnapshot#MEMORY_FILE} template when QEMU can (x-ignore-shared),
     * else the snapshot holds the full state.
     */
    static VmSnapshot bootAndSave(VmService service, Profile profile, BootOptions options, Path directory) {
        Path template = QemuFeatures.installed().templates() ? directory.resolve(VmSnapshot.MEMORY_FILE) : null;
        Guest guest = start(service, profile, options, template,
                new LogPlace(service.config().logDir(), "boot-cache", profile.name()));
        boolean saved = false;
        try {
            VmSnapshot snapshot = VmSnapshot.write(directory, profile.name(), guest.snapshot(directory, service.config().bootTimeout()));
            saved = true;
            return snapshot;
        } catch (AgentException | QmpException | QemuException e) {
            throw guest.trouble("vm " + profile.name() + ": saving the booted guest into " + directory + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw guest.trouble("vm " + profile.name() + ": saving the booted guest into " + directory + " failed: " + e, e);
        } finally {
            guest.release(!saved && service.config().keepLogs() != KeepLogs.NEVER);
        }
    }

    /** Boots cold; with sharedMemory, the guest's RAM is written through to that file (to be saved as a template). */
    private static Guest start(VmService service, Profile profile, BootOptions options, Path sharedMemory, LogPlace logs) {
        String who = "vm " + profile.name();
        RunDirectory run = RunDirectory.create();
        ConsoleLog console = new ConsoleLog(run.consoleLog());
        ResourcePool.Lease lease = null;
        QemuProcess qemu = null;
        try {
            lease = service.acquire(options.memory(), options.cpus(), service.config().bootTimeout());
            GuestLayout layout = layout(service, profile, options, run);
            QemuCommandLine command = sharedMemory == null ? layout.commandLine(run) : layout.templateCommandLine(run, sharedMemory);
            qemu = QemuProcess.start(command.build(), run.qemuOutput());
            AgentClient agent = new AgentConnector(run.agentSocket(), qemu, console, profile.name())
                    .connect(service.config().bootTimeout());
            return new Guest(run, console, lease, qemu, agent, layout, sharedMemory, service, logs, who);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedBoot(who + " boot was interrupted", e, service, run, console, lease, qemu, logs);
        } catch (RuntimeException e) {
            throw failedBoot(who + " failed to boot: " + e.getMessage(), e, service, run, console, lease, qemu, logs);
        }
    }

    /**
     * Starts a copy of the snapshot: takes a QEMU started ahead for its layout (see {@link Prestarts}) or
     * starts one with {@code -incoming defer}, connects to the agent while QEMU loads the state (so the agent,
     * blocked reading its port, sees the host still there), lets the guest run and completes a handshake on
     * the fresh connection. Then the copy is made a machine of its own: its clock is set to the host's and
     * its random number generator reseeded (besides the new vmgenid every QEMU has).
     */
    static Guest resume(VmService service, Profile profile, VmSnapshot snapshot, LogPlace logs) {
        String who = "vm " + profile.name();
        GuestLayout layout = snapshot.layout();
        Duration timeout = service.config().bootTimeout();
        Prestarts.Key key = Prestarts.Key.of(snapshot);
        Optional<Prestarts.Prestarted> ahead = service.prestarts().take(key);
        RunDirectory run = ahead.map(Prestarts.Prestarted::run).orElseGet(RunDirectory::create);
        ConsoleLog console = new ConsoleLog(run.consoleLog());
        ResourcePool.Lease lease = ahead.map(Prestarts.Prestarted::lease).orElse(null);
        QemuProcess qemu = ahead.map(Prestarts.Prestarted::qemu).orElse(null);
        AgentClient early = null;
        try {
            if (qemu == null) {
                lease = service.acquire(layout.memory(), layout.cpus(), timeout);
                qemu = QemuProcess.start(layout.commandLine(run).incoming("defer").build(), run.qemuOutput());
            }
            AgentConnector connector = new AgentConnector(run.agentSocket(), qemu, console, profile.name());
            try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), timeout, qemu)) {
                early = connector.tryOpen().orElse(null);
                Migration.load(qmp, qemu, snapshot.stateFile(), snapshot.template(), timeout);
                Migration.resume(qmp, qemu, timeout);
            }
            AgentClient agent = connector.connect(timeout, early);
            early = null;
            Guest guest = new Guest(run, console, lease, qemu, agent, layout, null, service, logs, who);
            try {
                NewMachine.renew(agent.agentChannel(), timeout);
            } catch (AgentException e) {
                VmException failure = guest.trouble(who + " resumed from " + snapshot.directory()
                        + " but could not set its clock and reseed it: " + e.getMessage(), e);
                guest.release(service.config().keepLogs() != KeepLogs.NEVER);
                throw failure;
            }
            service.prestarts().replenish(key);
            return guest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(early);
            throw failedBoot(who + " resume was interrupted", e, service, run, console, lease, qemu, logs);
        } catch (VmException e) {
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(early);
            throw failedBoot(who + " failed to resume from " + snapshot.directory() + ": " + e.getMessage()
                    + exitReport(qemu), e, service, run, console, lease, qemu, logs);
        }
    }

    private static String exitReport(QemuProcess qemu) {
        if (qemu == null || qemu.isAlive() && !qemu.awaitExit(Duration.ofMillis(500))) {
            return "";
        }
        String output = qemu.output().strip();
        return "; QEMU exited" + qemu.exitCode().map(code -> " with code " + code).orElse("")
                + (output.isEmpty() ? "" : "; QEMU said: " + output);
    }

    private static void closeQuietly(AgentClient client) {
        if (client != null) {
            client.close();
        }
    }

    private static GuestLayout layout(VmService service, Profile profile, BootOptions options, RunDirectory run) {
        Kernel kernel = service.kernels().locate(profile.kernel());
        Path bootable = BootKernel.prepare(kernel, service.kernelCache(), service.notices());
        List<String> modules = new ArrayList<>(GuestImageSpec.TRANSPORT_MODULES);
        if (!options.disks().isEmpty()) {
            modules.addAll(GuestImageSpec.DISK_MODULES);
        }
        GuestImageSpec spec = GuestImageSpec.of(kernel, service.agent())
                .withModules(modules)
                .withUserInitrd(profile.initrd())
                .withFiles(options.files());
        Path initrd = service.images().build(spec, run.path().resolve(INITRD));
        return new GuestLayout(service.accelerator(), options.memory(), options.cpus(), bootable, initrd,
                List.of(profile.init().map(init -> "provium.init=" + init).orElse(""), profile.append()),
                options.disks());
    }

    /**
     * Tears down what a failed start set up: QEMU, its sockets, the lease and the run directory. The console log
     * and QEMU's output are kept in the log directory (and the place printed) unless logs are never kept, there
     * was nothing to keep, or a prerequisite was missing.
     */
    private static VmException failedBoot(String reason, Exception cause, VmService service, RunDirectory run,
                                          ConsoleLog console, ResourcePool.Lease lease, QemuProcess qemu, LogPlace logs) {
        try {
            if (qemu != null) {
                qemu.kill();
            }
        } finally {
            run.deleteSockets();
            if (lease != null) {
                lease.close();
            }
        }
        String tail = console.tail();
        boolean missing = cause instanceof KernelNotFoundException || cause instanceof QemuNotInstalledException;
        Path log = null;
        if (missing || qemu == null || service.config().keepLogs() == KeepLogs.NEVER) {
            run.close(); // nothing to keep when QEMU never ran
        } else {
            log = keep(run, console, logs, service, "vm " + logs.vmName()).orElse(null);
        }
        if (missing) {
            return new MissingPrerequisiteException(cause.getMessage(), reason, tail, log, cause);
        }
        return new VmException(reason, tail, log, cause);
    }

    /** Moves the logs to their kept place and says where; the run directory goes. */
    private static Optional<Path> keep(RunDirectory run, ConsoleLog console, LogPlace logs, VmService service, String who) {
        Optional<Path> kept;
        try {
            kept = run.keepLogsIn(logs.directory());
        } catch (UncheckedIOException e) {
            service.notices().notice("provium: the logs of " + who + " could not be kept: " + e.getMessage());
            return Optional.empty();
        }
        kept.ifPresent(file -> {
            console.movedTo(file);
            service.notices().notice("provium: console log of " + who + " kept: " + file);
        });
        return kept;
    }

    /**
     * Saves the running guest into directory (see {@link VmSnapshot}) and leaves it paused, or ended when its
     * state had to be turned into a template. A PING first proves the agent idle and the stream in step; the
     * host stays connected, so the saved agent is blocked reading its port and a resumed guest answers the
     * first request of a new connection.
     *
     * <p>A guest whose RAM is already written through to the snapshot's memory file saves only its device
     * state. Any other guest (plain RAM, or a private copy of another template) saves its full state; where
     * QEMU supports templates, that state is then loaded into a paused QEMU whose RAM is the snapshot's
     * memory file and saved again without the RAM, so every snapshot resumes the same fast way.
     */
    GuestLayout snapshot(Path directory, Duration timeout) throws IOException {
        agent.ping(new byte[0], timeout);
        Path initrd = directory.resolve(VmSnapshot.INITRD_FILE);
        Files.copy(layout.initrd(), initrd);
        GuestLayout saved = layout.withInitrd(initrd);
        Path state = directory.resolve(VmSnapshot.STATE_FILE);
        Path template = directory.resolve(VmSnapshot.MEMORY_FILE);
        if (template.equals(sharedMemory)) {
            try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), QmpClient.DEFAULT_TIMEOUT, qemu)) {
                Migration.save(qmp, state, true, timeout);
            }
            return saved.withMemoryTemplate(template);
        }
        boolean convert = QemuFeatures.installed().templates();
        Path full = convert ? directory.resolve(FULL_STATE) : state;
        try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), QmpClient.DEFAULT_TIMEOUT, qemu)) {
            Migration.save(qmp, full, timeout);
        }
        if (!convert) {
            return saved.withMemoryTemplate(null);
        }
        kill(); // saved: its QEMU is not needed for the conversion
        toTemplate(saved.withMemoryTemplate(null), full, template, state, timeout);
        Files.delete(full);
        return saved.withMemoryTemplate(template);
    }

    /** Loads a full state into a paused QEMU whose RAM is written through to template, and saves its device state. */
    private static void toTemplate(GuestLayout layout, Path fullState, Path template, Path stateFile, Duration timeout) {
        RunDirectory run = RunDirectory.create();
        QemuProcess qemu = null;
        try {
            qemu = QemuProcess.start(layout.templateCommandLine(run, template).paused().incoming("defer").build(), run.qemuOutput());
            try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), timeout, qemu)) {
                Migration.load(qmp, qemu, fullState, false, timeout);
                Migration.save(qmp, stateFile, true, timeout);
            }
        } catch (RuntimeException e) {
            throw new QemuException("turning the saved state into a memory template failed: " + e.getMessage() + exitReport(qemu), e);
        } finally {
            try {
                if (qemu != null) {
                    qemu.kill();
                }
            } finally {
                run.close();
            }
        }
    }

    GuestLayout layout() {
        return layout;
    }

    RunDirectory run() {
        return run;
    }

    ConsoleLog console() {
        return console;
    }

    QemuProcess qemu() {
        return qemu;
    }

    AgentClient agent() {
        return agent;
    }

    boolean troubled() {
        return troubled;
    }

    /**
     * A VmException for trouble while running; marks the logs to be kept. A lost agent usually means
     * QEMU is on its way out, so it waits a moment for the exit to say so.
     */
    VmException trouble(String reason, Throwable cause) {
        troubled = true;
        if (!agent.isConnected()) {
            qemu.awaitExit(EXIT_AFTER_DISCONNECT);
        }
        StringBuilder message = new StringBuilder(reason);
        if (!qemu.isAlive()) {
            message.append("; QEMU has exited").append(qemu.exitCode().map(code -> " with code " + code).orElse(""));
        }
        console.panicLine().ifPresent(panic -> message.append("; the guest kernel panicked: ").append(panic));
        Path log = service.config().keepLogs() == KeepLogs.NEVER ? null
                : logs.directory().resolve(run.consoleLog().getFileName());
        return new VmException(message.toString(), console.tail(), log, cause);
    }

    void shutdown(Duration wait) {
        try {
            agent.shutdown(SHUTDOWN_ACK);
        } catch (AgentException e) {
            troubled = true;
        }
        if (!qemu.awaitExit(wait)) {
            troubled = true;
        }
        kill();
    }

    void kill() {
        try {
            agent.close();
        } finally {
            try {
                qemu.kill();
            } finally {
                run.deleteSockets();
            }
        }
    }

    /**
     * Ends QEMU, frees the lease and deletes the run directory; when keeping logs, the console log and QEMU's
     * output move to the log directory first, and their place is printed. Once.
     */
    synchronized void release(boolean keepLogs) {
        if (released) {
            return;
        }
        released = true;
        try {
            kill();
        } finally {
            try {
                lease.close();
            } finally {
                if (keepLogs) {
                    keep(run, console, logs, service, who);
                } else {
                    run.close();
                }
            }
        }
    }
}
