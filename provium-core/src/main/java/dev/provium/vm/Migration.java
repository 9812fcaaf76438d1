package dev.provium.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Saving a guest's state to a file and loading it into a fresh QEMU, over QMP. QEMU 7.2 has no
 * {@code file:} migration URI, so the stream goes through {@code exec:cat}.
 */
final class Migration {
    /** No throttling: the guest is paused, and a local file takes the stream as fast as QEMU writes it. */
    private static final long UNLIMITED_BANDWIDTH = Long.MAX_VALUE >> 1;
    private static final long STATUS_POLL_MILLIS = 2;

    private Migration() {
    }

    /** Pauses the guest and writes its whole state to stateFile; the guest stays paused. */
    static void save(QmpClient qmp, Path stateFile, Duration timeout) {
        qmp.stop();
        qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", UNLIMITED_BANDWIDTH), QmpClient.DEFAULT_TIMEOUT);
        qmp.migrate("exec:cat > " + shellQuoted(stateFile));
        qmp.awaitMigration(timeout);
    }

    /** The {@code -incoming} URI that reads a state written by {@link #save}. */
    static String incomingFrom(Path stateFile) {
        return "exec:cat " + shellQuoted(stateFile);
    }

    /**
     * Waits until QEMU has loaded the incoming state, then lets the guest run. QEMU exits when the state
     * does not fit its machine or is damaged; that ends the wait with its own message.
     */
    static void resume(QmpClient qmp, QemuProcess qemu, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String status;
        while ("inmigrate".equals(status = qmp.queryStatus())) {
            if (!qemu.isAlive()) {
                throw new QemuException("QEMU exited while loading the snapshot");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new QemuException("QEMU did not finish loading the snapshot within " + timeout.toSeconds() + " s");
            }
            sleep();
        }
        switch (status) {
            case "paused", "postmigrate" -> qmp.cont();
            case "running" -> { }
            default -> throw new QemuException("after loading the snapshot QEMU is '" + status + "' instead of paused");
        }
    }

    /** A path as one word for /bin/sh, which runs exec: commands. */
    static String shellQuoted(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }

    private static void sleep() {
        try {
            Thread.sleep(STATUS_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QemuException("interrupted while QEMU loaded the snapshot");
        }
    }
}
