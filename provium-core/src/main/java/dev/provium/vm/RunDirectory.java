package dev.provium.vm;

import dev.provium.internal.DirectoryTrees;
import dev.provium.internal.PrivatePaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private (0700) directory per VM for its sockets and logs, its files 0600. Unix socket paths are limited to
 * 107 bytes (sun_path is 108 with the NUL), so it lives under java.io.tmpdir when that is short enough, else
 * under /tmp, and refuses to exist where a socket path would not fit.
 *
 * <p>Its name carries the owner's pid ({@code provium-<pid>-<n>}) and an {@value #OWNER_FILE} file the owner
 * JVM's start time: {@link #sweepStale()} deletes the directories of owners that are gone (a JVM killed with
 * SIGKILL runs no cleanup). An orderly JVM exit deletes the directories still open ({@link #closeAll()}, from
 * the shutdown hook of {@link LiveQemus}).
 */
final class RunDirectory implements AutoCloseable {
    static final int MAX_SOCKET_PATH_BYTES = 107;
    static final String OWNER_FILE = "owner";
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final String PREFIX = "provium-";
    private static final Pattern NAME = Pattern.compile("provium-(\\d+)-\\d+");
    private static final String LONGEST_NAME = "agent.sock";
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<RunDirectory> OPEN = ConcurrentHashMap.newKeySet();

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    /** A new run directory under java.io.tmpdir, or /tmp when tmpdir's path is too long for sockets. */
    public static RunDirectory create() {
        return createIn(base());
    }

    /** Where run directories are made: java.io.tmpdir, or /tmp when tmpdir's path is too long for sockets. */
    static Path base() {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        return fits(tmpdir) ? tmpdir : Path.of("/tmp");
    }

    /** A new run directory under base; fails when socket paths inside it would exceed the Unix limit. */
    public static RunDirectory createIn(Path base) {
        if (!fits(base.toAbsolutePath())) {
            throw new QemuException("cannot create a VM run directory under " + base + ": its socket paths would be longer than "
                    + MAX_SOCKET_PATH_BYTES + " bytes, the Unix socket limit; set java.io.tmpdir to a shorter directory");
        }
        LiveQemus.installHook();
        Path dir = null;
        try {
            Files.createDirectories(base);
            dir = Files.createTempDirectory(base.toAbsolutePath(), PREFIX + PID + "-", PRIVATE_DIRECTORY);
            RunDirectory run = new RunDirectory(dir);
            OPEN.add(run);
            Files.writeString(Files.createFile(dir.resolve(OWNER_FILE), PRIVATE_FILE), ownerStamp(ProcessHandle.current()));
            Files.createFile(run.consoleLog(), PRIVATE_FILE);
            Files.createFile(run.qemuOutput(), PRIVATE_FILE);
            return run;
        } catch (IOException e) {
            if (dir != null) {
                new RunDirectory(dir).close();
            }
            throw new QemuException("cannot create a VM run directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** Room for base + "/provium-<pid>-" + Files.createTempDirectory's number (up to 20 digits) + "/agent.sock". */
    private static boolean fits(Path base) {
        int length = base.toString().getBytes(StandardCharsets.UTF_8).length + 1 + PREFIX.length() + Long.toString(PID).length()
                + 1 + 20 + 1 + LONGEST_NAME.length();
        return length <= MAX_SOCKET_PATH_BYTES && !base.toString().contains(",");
    }

    /**
     * Deletes the run directories under {@link #base()} whose owner process is gone (or is another process that
     * got its pid), e.g. of a JVM killed with SIGKILL. Only directories of this user are touched. Returns them.
     */
    static List<Path> sweepStale() {
        return sweepStale(base());
    }

    static List<Path> sweepStale(Path base) {
        List<Path> swept = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return swept;
        }
        UserPrincipal me;
        try {
            me = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return swept;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : dirs) {
                Matcher name = NAME.matcher(dir.getFileName().toString());
                if (name.matches() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && me.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS)) && ownerGone(dir, Long.parseLong(name.group(1)))) {
                    try {
                        DirectoryTrees.delete(dir, "stale VM run directory");
                        swept.add(dir);
                    } catch (UncheckedIOException e) {
                        // another JVM sweeping at the same time, or a file we may not delete: leave it
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a directory we cannot list holds nothing we could sweep
        }
        return swept;
    }

    /** True when no process has the pid, or the one that has it started at another time than the owner. */
    private static boolean ownerGone(Path dir, long pid) {
        if (pid == PID) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        try {
            String recorded = Files.readString(dir.resolve(OWNER_FILE)).strip();
            return !recorded.isEmpty() && !recorded.equals(ownerStamp(process.get()));
        } catch (IOException e) {
            return false; // an owner still writing its run directory
        }
    }

    private static String ownerStamp(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(start -> Long.toString(start.toEpochMilli())).orElse("?");
    }

    /** Deletes every run directory of this JVM that is still open: the JVM is exiting. */
    static void closeAll() {
        for (RunDirectory run : List.copyOf(OPEN)) {
            try {
                run.close();
            } catch (RuntimeException ignored) {
                // the JVM is going; delete what can be deleted
            }
        }
    }

    static int openCount() {
        return OPEN.size();
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

    /** Makes every file QEMU or the image builder created here 0600 (sockets included). */
    void restrictFiles() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                try {
                    Files.setPosixFilePermissions(file, PRIVATE_FILE_PERMISSIONS);
                } catch (IOException ignored) {
                    // gone meanwhile (a socket of a QEMU that exited)
                }
            }
        } catch (IOException ignored) {
            // the directory itself is 0700
        }
    }

    private static final Set<PosixFilePermission> PRIVATE_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    /** Removes the sockets; QEMU does not when it is killed. */
    void deleteSockets() {
        for (Path socket : List.of(agentSocket(), qmpSocket())) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // the whole directory goes later
            }
        }
    }

    /**
     * Moves the logs into {@code target} (created 0700): the console log (even an empty one: a guest that printed
     * nothing is worth knowing) and QEMU's output when it said anything; then deletes this directory. Returns
     * the kept console log, or empty when there was none.
     */
    Optional<Path> keepLogsIn(Path target) {
        try {
            Optional<Path> kept = Optional.empty();
            for (Path log : List.of(consoleLog(), qemuOutput())) {
                boolean console = log.equals(consoleLog());
                if (Files.isRegularFile(log) && (console || Files.size(log) > 0)) {
                    PrivatePaths.createDirectories(target.getParent());
                    try {
                        Files.createDirectory(target, PRIVATE_DIRECTORY);
                    } catch (FileAlreadyExistsException exists) {
                        // a log kept there already
                    }
                    Path moved = Files.move(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    if (console) {
                        kept = Optional.of(moved);
                    }
                }
            }
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the logs of " + path + " in " + target + ": " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    /** Deletes the directory and everything in it; safe to call twice. */
    @Override
    public void close() {
        try {
            DirectoryTrees.delete(path, "VM run directory");
        } finally {
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
