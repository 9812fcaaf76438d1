package dev.provium.image;

import dev.provium.internal.PrivatePaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Cache-directory helpers shared by the kernel and overlay caches. Entries are published by an atomic
 * rename of a finished temporary file, so concurrent builders (threads or JVMs) never see half a file;
 * when two build the same entry, both write the same content and the last rename wins.
 */
final class CacheFiles {

    /** Writes one cache entry; the path given is a temporary file in the same directory. */
    interface Writer<E extends Exception> {
        void write(Path temporary) throws IOException, E;
    }

    private CacheFiles() {
    }

    static <E extends Exception> void publish(Path target, Writer<E> writer) throws IOException, E {
        Path directory = target.toAbsolutePath().getParent();
        PrivatePaths.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            writer.write(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A short key for a file as it is now: real path, size and modification time (not its content). */
    static String identityKey(Path file, String salt) throws IOException {
        Path real = file.toRealPath();
        long size = Files.size(real);
        long mtime = Files.getLastModifiedTime(real).to(TimeUnit.NANOSECONDS);
        return shortHash(salt + "\0" + real + "\0" + size + "\0" + mtime);
    }

    static String shortHash(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
