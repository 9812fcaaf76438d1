package dev.provium.vm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Helpers for tests that run a real QEMU: skipped, with the reason, where QEMU is not installed. */
final class TestQemu {
    private TestQemu() {
    }

    static void assumeInstalled() {
        assumeTrue(Executables.find(QemuCommandLine.DEFAULT_BINARY).isPresent(),
                QemuCommandLine.DEFAULT_BINARY + " is not installed (apt-get install qemu-system-x86)");
    }

    /**
     * Lets {@code cache}, a new cache directory, share the extracted kernels and initramfs images of the default
     * cache of {@code project} (symbolic links), for tests whose subject is the rest of the cache. Returns
     * {@code cache}. {@link #unshareImages} removes the links (a {@code @TempDir}'s cleanup would too, without
     * following them, but warns about each).
     */
    static Path sharingImages(Path cache, Path project) throws IOException {
        Path shared = ProviumConfig.load(project).cacheDir();
        for (String sub : List.of("kernels", "images")) {
            Files.createDirectories(shared.resolve(sub));
            Files.createSymbolicLink(cache.resolve(sub), shared.resolve(sub));
        }
        return cache;
    }

    static void unshareImages(Path cache) throws IOException {
        for (String sub : List.of("kernels", "images")) {
            Files.deleteIfExists(cache.resolve(sub));
        }
    }

    /** A QEMU with no machine at all: it runs until told to quit, and answers QMP on run.qmpSocket(). */
    static List<String> idleWithQmp(RunDirectory run) {
        return List.of(QemuCommandLine.DEFAULT_BINARY, "-accel", "tcg", "-nodefaults", "-no-user-config", "-display", "none",
                "-machine", "none",
                "-chardev", "socket,id=qmp,path=" + run.qmpSocket() + ",server=on,wait=off",
                "-mon", "chardev=qmp,mode=control");
    }

    /** This JVM's QEMU processes that still run. */
    static List<ProcessHandle> childQemus() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandLine(process).contains("qemu-system"))
                .toList();
    }

    static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    /** Whether pid is a running (not zombie) process, from /proc. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }
}
