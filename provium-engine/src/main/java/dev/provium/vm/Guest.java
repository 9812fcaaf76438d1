package dev.provium.vm;

import dev.provium.agent.AgentClient;
import dev.provium.agent.AgentException;
import dev.provium.config.Profile;
import dev.provium.image.GuestImageSpec;
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

    private final RunDirectory run;
    private final ConsoleLog console;
    private final ResourcePool.Lease lease;
    private final QemuProcess qemu;
    private final AgentClient agent;
    private volatile boolean troubled;
    private boolean released;

    private Guest(RunDirectory run, ResourcePool.Lease lease, QemuProcess qemu, AgentClient agent) {
        this.run = run;
        this.console = new ConsoleLog(run.consoleLog());
        this.lease = lease;
        this.qemu = qemu;
        this.agent = agent;
    }

    static Guest boot(VmService service, Profile profile, BootOptions options) {
        String who = "vm " + profile.name();
        RunDirectory run = RunDirectory.create();
        ConsoleLog console = new ConsoleLog(run.consoleLog());
        ResourcePool.Lease lease = null;
        QemuProcess qemu = null;
        try {
            lease = service.pool().acquire(options.memory(), options.cpus(), service.config().bootTimeout());
            List<String> argv = commandLine(service, profile, options, run);
            qemu = QemuProcess.start(argv, run.qemuOutput());
            AgentClient agent = new AgentConnector(run.agentSocket(), qemu, console, profile.name())
                    .connect(service.config().bootTimeout());
            return new Guest(run, lease, qemu, agent);
        } catch (AgentConnector.BootFailure | ResourcePoolException | QemuException | AgentException e) {
            throw failedBoot(who + " failed to boot: " + e.getMessage(), e, run, console, lease, qemu);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failedBoot(who + " boot was interrupted", e, run, console, lease, qemu);
        } catch (RuntimeException e) {
            throw failedBoot(who + " failed to boot: " + e.getMessage(), e, run, console, lease, qemu);
        }
    }

    private static List<String> commandLine(VmService service, Profile profile, BootOptions options, RunDirectory run) {
        Kernel kernel = service.kernels().locate(profile.kernel());
        Path bootable = BootKernel.prepare(kernel, service.kernelCache());
        List<String> modules = new ArrayList<>(GuestImageSpec.TRANSPORT_MODULES);
        if (!options.disks().isEmpty()) {
            modules.addAll(GuestImageSpec.DISK_MODULES);
        }
        GuestImageSpec spec = GuestImageSpec.of(kernel, service.agent())
                .withModules(modules)
                .withUserInitrd(profile.initrd())
                .withFiles(options.files());
        Path initrd = service.images().build(spec, run.path().resolve("initrd.cpio"));
        QemuCommandLine command = QemuCommandLine.forRun(run)
                .accelerator(service.accelerator())
                .memory(options.memory())
                .cpus(options.cpus())
                .kernel(bootable)
                .initrd(initrd)
                .kernelArgs(profile.init().map(init -> "provium.init=" + init).orElse(""))
                .kernelArgs(profile.append());
        options.disks().forEach(command::disk);
        return command.build();
    }

    private static VmException failedBoot(String reason, Exception cause, RunDirectory run, ConsoleLog console,
                                          ResourcePool.Lease lease, QemuProcess qemu) {
        if (qemu != null) {
            qemu.kill();
        }
        if (lease != null) {
            lease.close();
        }
        deleteQuietly(run.path().resolve("initrd.cpio"));
        return new VmException(reason, console.tail(), console.file(), cause);
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
        agent.close();
        qemu.kill();
    }

    /** Frees the lease and deletes the run directory, or, when keeping logs, only the initrd. Once. */
    synchronized void release(boolean keepLogs) {
        if (released) {
            return;
        }
        released = true;
        kill();
        lease.close();
        if (keepLogs) {
            deleteQuietly(run.path().resolve("initrd.cpio"));
        } else {
            run.close();
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
