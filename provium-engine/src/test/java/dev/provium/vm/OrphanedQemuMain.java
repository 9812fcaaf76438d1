package dev.provium.vm;

import java.nio.file.Path;
import java.util.List;

/** Run in a child JVM by {@link QemuProcessTest}: starts an idle QEMU, prints its pid, and waits to be killed. */
public final class OrphanedQemuMain {
    private OrphanedQemuMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path runDir = Path.of(args[0]);
        QemuProcess qemu = QemuProcess.start(List.of(QemuCommandLine.DEFAULT_BINARY, "-accel", "tcg", "-nodefaults",
                "-no-user-config", "-display", "none", "-machine", "none"), runDir.resolve("orphan.log"));
        System.out.println("qemu pid " + qemu.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
