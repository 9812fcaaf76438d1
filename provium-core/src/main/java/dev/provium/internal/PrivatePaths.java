package dev.provium.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.config.ProviumConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Directories only their user may enter (0700) and files only their user may read (0600), like the cache of
 * kernels, images and fixture snapshots (guest memory among them): what is in them decides what runs in the
 * guests, so a cache directory of another user, or one others may write to, is refused with the fix in the
 * message. On a file system without POSIX permissions, paths are created with its defaults.
 */
@API(status = INTERNAL)
public final class PrivatePaths {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<?> DIRECTORY_ATTRIBUTE = PosixFilePermissions.asFileAttribute(PRIVATE);
    private static final FileAttribute<?> FILE_ATTRIBUTE = PosixFilePermissions.asFileAttribute(PRIVATE_FILE);

    private PrivatePaths() {
    }

    /**
     * Creates {@code dir} and its missing parents, each new one 0700 (for paths inside a private directory);
     * existing ones are left as they are.
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            createDirectory(absolute);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(absolute)) {
                throw raced;
            }
        }
        return dir;
    }

    /** Creates one directory, 0700. */
    public static Path createDirectory(Path dir) throws IOException {
        try {
            return Files.createDirectory(dir, DIRECTORY_ATTRIBUTE);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createDirectory(dir);
        }
    }

    /** Creates an empty file, 0600. */
    public static Path createFile(Path file) throws IOException {
        try {
            return Files.createFile(file, FILE_ATTRIBUTE);
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(file);
        }
    }

    /** Opens a file for writing, created 0600 when missing. */
    public static FileChannel openForWriting(Path file) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(file, options, FILE_ATTRIBUTE);
        } catch (UnsupportedOperationException notPosix) {
            return FileChannel.open(file, options);
        }
    }

    /** Makes an existing file 0600 (one written by a library that creates files with default permissions). */
    public static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PRIVATE_FILE);
        } catch (UnsupportedOperationException notPosix) {
            // nothing to restrict
        }
    }

    /**
     * Creates {@code dir} 0700 when missing; an existing one of this user is made 0700.
     *
     * @param what    how messages name it, e.g. "the cache directory"
     * @param setting the {@code [provium]} key that moves it, e.g. "cache_dir"
     * @throws ProviumConfigException when it belongs to another user or others may write to it
     */
    public static Path ensure(Path dir, String what, String setting) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    createDirectory(dir);
                } catch (FileAlreadyExistsException raced) {
                    // made by another JVM just now: checked below
                }
            }
            UserPrincipal owner = Files.getOwner(dir);
            String me = System.getProperty("user.name");
            String move = "set " + setting + " in [provium] of provium.toml (or -Dprovium." + setting
                    + "=…) to a directory of your own";
            if (!owner.getName().equals(me)) {
                throw new ProviumConfigException(what + " " + dir + " belongs to user " + owner.getName() + ", not to "
                        + me + ": what it holds decides what runs in your guests; " + move);
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ProviumConfigException(what + " " + dir + " is writable by others ("
                        + PosixFilePermissions.toString(permissions) + "): they could change what runs in your guests;"
                        + " make it private with `chmod 700 " + dir + "` (after checking its contents) or " + move);
            }
            if (!permissions.equals(PRIVATE)) {
                Files.setPosixFilePermissions(dir, PRIVATE);
            }
            return dir;
        } catch (UnsupportedOperationException e) {
            return dir; // not a POSIX file system: nothing to check
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + what + " " + dir + ": " + e.getMessage(), e);
        }
    }
}
