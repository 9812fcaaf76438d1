package dev.provium.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether KVM works here: /dev/kvm must be readable and writable, the CPU must advertise
 * vmx or svm, and a tiny guest must actually run under {@code -accel kvm} ({@link ProbeFirmware}),
 * because some hosts have a /dev/kvm on which guests hang.
 */
final class KvmProbe {
    static final Duration GUEST_TIME_LIMIT = Duration.ofSeconds(3);
    private static final Pattern VIRTUALIZATION_FLAG = Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE);

    /** Runs the probe guest under an accelerator; empty when it ran, else why not. */
    @FunctionalInterface
    interface GuestRun {
        Optional<String> failure(String accelerator);
    }

    private final Path devKvm;
    private final Path cpuinfo;
    private final GuestRun guestRun;

    KvmProbe(Path devKvm, Path cpuinfo, GuestRun guestRun) {
        this.devKvm = devKvm;
        this.cpuinfo = cpuinfo;
        this.guestRun = guestRun;
    }

    static KvmProbe onThisHost() {
        return new KvmProbe(Path.of("/dev/kvm"), Path.of("/proc/cpuinfo"), KvmProbe::runProbeGuest);
    }

    /** Empty when KVM is usable, else the reason it is not. */
    Optional<String> whyNotUsable() {
        if (!Files.exists(devKvm)) {
            return Optional.of(devKvm + " does not exist");
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return Optional.of(devKvm + " is not readable and writable for this user (add it to the kvm group)");
        }
        if (!advertisesVirtualization()) {
            return Optional.of(cpuinfo + " advertises neither vmx nor svm");
        }
        return guestRun.failure("kvm");
    }

    private boolean advertisesVirtualization() {
        try {
            return VIRTUALIZATION_FLAG.matcher(Files.readString(cpuinfo)).find();
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@link ProbeFirmware} under the accelerator with a 3 s limit; exit status 3 means it ran. */
    static Optional<String> runProbeGuest(String accelerator) {
        try (RunDirectory run = RunDirectory.create()) {
            Path firmware = run.path().resolve("probe.bin");
            Files.write(firmware, ProbeFirmware.image());
            List<String> argv = List.of(QemuCommandLine.DEFAULT_BINARY,
                    "-accel", accelerator, "-nodefaults", "-no-user-config", "-display", "none", "-machine", "pc",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-bios", firmware.toString());
            try (QemuProcess qemu = QemuProcess.start(argv, run.qemuOutput())) {
                if (!qemu.awaitExit(GUEST_TIME_LIMIT)) {
                    return Optional.of("a test guest did not finish within " + GUEST_TIME_LIMIT.toSeconds() + " s under -accel " + accelerator);
                }
                int exitCode = qemu.exitCode().orElseThrow();
                if (exitCode != ProbeFirmware.SUCCESS_EXIT_CODE) {
                    return Optional.of("a test guest under -accel " + accelerator + " exited with status " + exitCode
                            + ": " + qemu.output().strip());
                }
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the accelerator probe firmware", e);
        } catch (QemuException e) {
            return Optional.of(e.getMessage());
        }
    }
}
