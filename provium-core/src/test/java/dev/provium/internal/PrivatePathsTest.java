package dev.provium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.ProviumConfigException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivatePathsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsCreatedPrivate() throws IOException {
        Path cache = dir.resolve("a/b/cache");
        PrivatePaths.ensure(cache, "the cache directory", "cache_dir");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void directoriesAndFilesInsideAreCreatedPrivate() throws IOException {
        Path inner = PrivatePaths.createDirectories(dir.resolve("x/y"));
        PrivatePaths.createDirectories(inner); // there already: fine
        Path file = PrivatePaths.createFile(inner.resolve("lock"));
        try (FileChannel channel = PrivatePaths.openForWriting(inner.resolve("written"))) {
            channel.write(ByteBuffer.wrap(new byte[] {1}));
        }
        Path library = Files.writeString(inner.resolve("manifest.json"), "{}");
        PrivatePaths.restrict(library);

        assertThat(mode(dir.resolve("x"))).isEqualTo("rwx------");
        assertThat(mode(inner)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(inner.resolve("written"))).isEqualTo("rw-------");
        assertThat(mode(library)).isEqualTo("rw-------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void anOwnReadableDirectoryIsMadePrivate() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivatePaths.ensure(cache, "the cache directory", "cache_dir");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefusedWithTheFix() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivatePaths.ensure(cache, "the cache directory", "cache_dir"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessage("the cache directory " + cache + " is writable by others (rwxrwxrwx): they could change what runs in"
                        + " your guests; make it private with `chmod 700 " + cache + "` (after checking its contents) or set"
                        + " cache_dir in [provium] of provium.toml (or -Dprovium.cache_dir=…) to a directory of your own");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).as("left as it was").isEqualTo("rwxrwxrwx");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefusedWithTheFix() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a directory to another user");
        Path cache = Files.createDirectory(dir.resolve("cache"));
        UserPrincipal nobody = cache.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(cache, nobody);
        assertThatThrownBy(() -> PrivatePaths.ensure(cache, "the cache directory", "cache_dir"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessageStartingWith("the cache directory " + cache + " belongs to user nobody, not to root")
                .hasMessageEndingWith("set cache_dir in [provium] of provium.toml (or -Dprovium.cache_dir=…) to a directory of your own");
    }
}
