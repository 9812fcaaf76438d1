package dev.provium.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Saving a guest's state to a file and loading it into a fresh QEMU, over QMP. Before QEMU 8.2 there is
 * no {@code file:} migration URI, so the stream goes through {@code exec:cat}. With {@code ignoreShared}
 * (a template snapshot) the RAM in a shared memory file is left out of the stream: it is in the file.
 */
final class Migration {
    /** No throttling: the guest is paused, and a local file takes the stream as fast as QEMU writes it. */
    private static final long UNLIMITED_BANDWIDTH = Long.MAX_VALUE >> 1;
    private static final long STATUS_POLL_MILLIS = 2;

    private Migration() {
    }

    /** Pauses the guest and writes its whole state to stateFile; the guest stays paused. */
    static void save(QmpClient qmp, Path stateFile, Duration timeout) {
        save(qmp, stateFile, false, timeout);
    }

    /** Pauses the guest and writes its state, without the shared RAM when ignoreShared; the guest stays paused. */
    static void save(QmpClient qmp, Path stateFile, boolean ignoreShared, Duration timeout) {
        qmp.stop();
        // said either way: a guest resumed from a template has the capability on, and a full state saved with it
        // on only loads into a QEMU that has it on too
        if (ignoreShared || QemuFeatures.installed().templates()) {
            ignoreShared(qmp, ignoreShared);
        }
        qmp.execute("migrate-set-parameters", Map.of("max-bandwidth", UNLIMITED_BANDWIDTH), QmpClient.DEFAULT_TIMEOUT);
        qmp.migrate(outgoingTo(stateFile));
        qmp.awaitMigration(timeout);
    }

    /** The URI a migration writes stateFile through. */
    static String outgoingTo(Path stateFile) {
        return QemuFeatures.installed().fileMigration() ? "file:" + stateFile.toAbsolutePath()
                : "exec:cat > " + shellQuoted(stateFile);
    }

    /** The URI that reads a state written by {@link #save}. */
    static String incomingFrom(Path stateFile) {
        return QemuFeatures.installed().fileMigration() ? "file:" + stateFile.toAbsolutePath()
                : "exec:cat " + shellQuoted(stateFile);
    }

    /**
     * Tells a QEMU started with {@code -incoming defer} to load stateFile (a template state when
     * ignoreShared) and waits until it has; the guest is then paused, or running when QEMU autostarts it.
     */
    static void load(QmpClient qmp, QemuProcess qemu, Path stateFile, boolean ignoreShared, Duration timeout) {
        if (ignoreShared) {
            ignoreShared(qmp, true);
        }
        qmp.execute("migrate-incoming", Map.of("uri", incomingFrom(stateFile)), QmpClient.DEFAULT_TIMEOUT);
        awaitLoaded(qmp, qemu, timeout);
    }

    private static void ignoreShared(QmpClient qmp, boolean on) {
        qmp.execute("migrate-set-capabilities",
                Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", on))),
                QmpClient.DEFAULT_TIMEOUT);
    }

    /**
     * Waits until QEMU has loaded the incoming state, then lets the guest run. QEMU exits when the state
     * does not fit its machine or is damaged; that ends the wait with its own message.
     */
    static void resume(QmpClient qmp, QemuProcess qemu, Duration timeout) {
        String status = awaitLoaded(qmp, qemu, timeout);
        switch (status) {
            case "paused", "postmigrate" -> qmp.cont();
            case "running" -> { }
            default -> throw new QemuException("after loading the snapshot QEMU is '" + status + "' instead of paused");
        }
    }

    /** Waits while QEMU loads a state; returns the status it has then. */
    private static String awaitLoaded(QmpClient qmp, QemuProcess qemu, Duration timeout) {
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
        return status;
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
