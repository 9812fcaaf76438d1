package dev.provium.vm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** A QEMU with no machine at all: it runs until told to quit, and answers QMP on run.qmpSocket(). */
    static List<String> idleWithQmp(RunDirectory run) {
        return List.of(QemuCommandLine.DEFAULT_BINARY, "-accel", "tcg", "-nodefaults", "-no-user-config", "-display", "none",
                "-machine", "none",
                "-chardev", "socket,id=qmp,path=" + run.qmpSocket() + ",server=on,wait=off",
                "-mon", "chardev=qmp,mode=control");
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
