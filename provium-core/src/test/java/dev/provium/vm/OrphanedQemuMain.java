package dev.provium.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Run in a child JVM by {@link QemuProcessTest}: starts an idle QEMU and prints its pid. With
 * "wait", it then waits to be killed; with "exit", it starts QEMU without setpriv and exits normally,
 * leaving the cleanup to the shutdown hook.
 */
public final class OrphanedQemuMain {
    private OrphanedQemuMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path runDir = Path.of(args[0]);
        boolean exit = args[1].equals("exit");
        List<String> argv = List.of(QemuCommandLine.DEFAULT_BINARY, "-accel", "tcg", "-nodefaults", "-no-user-config",
                "-display", "none", "-machine", "none");
        QemuProcess qemu = exit
                ? QemuProcess.start(argv, runDir.resolve("orphan.log"), Optional.empty())
                : QemuProcess.start(argv, runDir.resolve("orphan.log"));
        System.out.println("qemu pid " + qemu.pid());
        System.out.flush();
        if (exit) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
