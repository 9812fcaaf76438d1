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

/**
 * The parts of one running guest — run directory, QEMU, agent connection and resource lease — and the
 * order in which they are set up and torn down. A failed boot tears down what it set up.
 */
final class Guest {
    private static final Duration SHUTDOWN_ACK = Duration.ofSeconds(5);
    private static final Duration EXIT_AFTER_DISCONNECT = Duration.ofSeconds(2);
    private static final String INITRD = "initrd.cpio";

    private final RunDirectory run;
    private final ConsoleLog console;
    private final ResourcePool.Lease lease;
    private final QemuProcess qemu;
    private final AgentClient agent;
    private final GuestLayout layout;
    private volatile boolean troubled;
    private boolean released;

    private Guest(RunDirectory run, ConsoleLog console, ResourcePool.Lease lease, QemuProcess qemu, AgentClient agent,
                  GuestLayout layout) {
        this.run = run;
        this.console = console;
        this.lease = lease;
        this.qemu = qemu;
        this.agent = agent;
        this.layout = layout;
    }

    static Guest boot(VmService service, Profile profile, BootOptions options) {
        String who = "vm " + profile.name();
        RunDirectory run = RunDirectory.create();
        ConsoleLog console = new ConsoleLog(run.consoleLog());
        ResourcePool.Lease lease = null;
        QemuProcess qemu = null;
        try {
            lease = service.pool().acquire(options.memory(), options.cpus(), service.config().bootTimeout());
            GuestLayout layout = layout(service, profile, options, run);
            qemu = QemuProcess.start(layout.commandLine(run).build(), run.qemuOutput());
            AgentClient agent = new AgentConnector(run.agentSocket(), qemu, console, profile.name())
                    .connect(service.config().bootTimeout());
            return new Guest(run, console, lease, qemu, agent, layout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedBoot(who + " boot was interrupted", e, service, run, console, lease, qemu);
        } catch (RuntimeException e) {
            throw failedBoot(who + " failed to boot: " + e.getMessage(), e, service, run, console, lease, qemu);
        }
    }

    /**
     * Starts QEMU with the snapshot's layout and {@code -incoming}, connects to the agent while QEMU
     * loads the state (so the agent, blocked reading its port, sees the host still there), lets the
     * guest run and completes a handshake on the fresh connection.
     */
    static Guest resume(VmService service, Profile profile, VmSnapshot snapshot) {
        String who = "vm " + profile.name();
        RunDirectory run = RunDirectory.create();
        ConsoleLog console = new ConsoleLog(run.consoleLog());
        ResourcePool.Lease lease = null;
        QemuProcess qemu = null;
        AgentClient early = null;
        Duration timeout = service.config().bootTimeout();
        try {
            GuestLayout layout = snapshot.layout();
            lease = service.pool().acquire(layout.memory(), layout.cpus(), timeout);
            qemu = QemuProcess.start(layout.commandLine(run).incoming(Migration.incomingFrom(snapshot.stateFile())).build(),
                    run.qemuOutput());
            AgentConnector connector = new AgentConnector(run.agentSocket(), qemu, console, profile.name());
            try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), timeout, qemu)) {
                early = connector.tryOpen().orElse(null);
                Migration.resume(qmp, qemu, timeout);
            }
            AgentClient agent = connector.connect(timeout, early);
            return new Guest(run, console, lease, qemu, agent, layout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(early);
            throw failedBoot(who + " resume was interrupted", e, service, run, console, lease, qemu);
        } catch (RuntimeException e) {
            closeQuietly(early);
            throw failedBoot(who + " failed to resume from " + snapshot.directory() + ": " + e.getMessage()
                    + exitReport(qemu), e, service, run, console, lease, qemu);
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

    /** Tears down what a failed start set up; the run directory (console log) stays unless logs are never kept. */
    private static VmException failedBoot(String reason, Exception cause, VmService service, RunDirectory run,
                                          ConsoleLog console, ResourcePool.Lease lease, QemuProcess qemu) {
        try {
            if (qemu != null) {
                qemu.kill();
            }
        } finally {
            if (lease != null) {
                lease.close();
            }
        }
        String tail = console.tail();
        Path log = console.file();
        if (service.config().keepLogs() == KeepLogs.NEVER) {
            run.close();
            log = null;
        } else {
            deleteQuietly(run.path().resolve(INITRD));
        }
        if (cause instanceof KernelNotFoundException || cause instanceof QemuNotInstalledException) {
            return new MissingPrerequisiteException(cause.getMessage(), reason, tail, log, cause);
        }
        return new VmException(reason, tail, log, cause);
    }

    /**
     * Saves the running guest into directory (see {@link VmSnapshot}) and leaves it paused. A PING first
     * proves the agent idle and the stream in step; the host stays connected, so the saved agent is blocked
     * reading its port and a resumed guest answers the first request of a new connection.
     */
    GuestLayout snapshot(Path directory, Duration timeout) throws IOException {
        agent.ping(new byte[0], timeout);
        try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), QmpClient.DEFAULT_TIMEOUT, qemu)) {
            Migration.save(qmp, directory.resolve(VmSnapshot.STATE_FILE), timeout);
        }
        Path initrd = directory.resolve(VmSnapshot.INITRD_FILE);
        Files.copy(layout.initrd(), initrd);
        return layout.withInitrd(initrd);
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
        return new VmException(message.toString(), console.tail(), console.file(), cause);
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
            qemu.kill();
        }
    }

    /** Frees the lease and deletes the run directory, or, when keeping logs, only the initrd. Once. */
    synchronized void release(boolean keepLogs) {
        if (released) {
            return;
        }
        released = true;
        try {
            kill();
        } finally {
            lease.close();
            if (keepLogs) {
                deleteQuietly(run.path().resolve(INITRD));
            } else {
                run.close();
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover initrd in a kept log directory is harmless
        }
    }
}
