package dev.provium.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting a directory with everything in it: VM run directories, fixture cache entries. */
@API(status = INTERNAL)
public final class DirectoryTrees {
    private DirectoryTrees() {
    }

    /** Deletes root and everything below it; a root that is gone already is fine. {@code what} names it in errors. */
    public static void delete(Path root, String what) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException alreadyGone) {
            // deleted before
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + what + " " + root, e);
        }
    }
}
