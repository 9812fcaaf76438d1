package dev.provium.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.config.ProviumConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Directories only their user may enter (0700), like the cache of kernels, images and fixture snapshots: what is
 * in them decides what runs in the guests, so a directory of another user, or one others may write to, is refused
 * with the fix in the message.
 */
@API(status = INTERNAL)
public final class PrivateDirectories {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectories() {
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
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
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
