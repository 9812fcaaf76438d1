package dev.provium.vm;

import dev.provium.internal.DirectoryTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A private (0700) directory per VM for its sockets and logs. Unix socket paths are limited to 107
 * bytes (sun_path is 108 with the NUL), so it lives under java.io.tmpdir when that is short enough,
 * else under /tmp, and refuses to exist where a socket path would not fit.
 */
final class RunDirectory implements AutoCloseable {
    static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final String PREFIX = "provium-";
    private static final String LONGEST_NAME = "agent.sock";

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /** A new run directory under java.io.tmpdir, or /tmp when tmpdir's path is too long for sockets. */
    public static RunDirectory create() {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path base = fits(tmpdir) ? tmpdir : Path.of("/tmp");
        return createIn(base);
    }

    /** A new run directory under base; fails when socket paths inside it would exceed the Unix limit. */
    public static RunDirectory createIn(Path base) {
        if (!fits(base.toAbsolutePath())) {
            throw new QemuException("cannot create a VM run directory under " + base + ": its socket paths would be longer than "
                    + MAX_SOCKET_PATH_BYTES + " bytes, the Unix socket limit; set java.io.tmpdir to a shorter directory");
        }
        try {
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base.toAbsolutePath(), PREFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new QemuException("cannot create a VM run directory under " + base + ": " + e, e);
        }
    }

    /** Room for base + "/provium-" + Files.createTempDirectory's number (up to 20 digits) + "/agent.sock". */
    private static boolean fits(Path base) {
        int length = base.toString().getBytes(StandardCharsets.UTF_8).length + 1 + PREFIX.length() + 20 + 1 + LONGEST_NAME.length();
        return length <= MAX_SOCKET_PATH_BYTES && !base.toString().contains(",");
    }

    public Path path() {
        return path;
    }

    /** The virtio-serial chardev socket the agent is reached through. */
    public Path agentSocket() {
        return path.resolve("agent.sock");
    }

    /** The QMP socket. */
    public Path qmpSocket() {
        return path.resolve("qmp.sock");
    }

    /** The guest's serial console. */
    public Path consoleLog() {
        return path.resolve("console.log");
    }

    /** QEMU's own stdout and stderr. */
    public Path qemuOutput() {
        return path.resolve("qemu.log");
    }

    /** Deletes the directory and everything in it; safe to call twice. */
    @Override
    public void close() {
        DirectoryTrees.delete(path, "VM run directory");
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
