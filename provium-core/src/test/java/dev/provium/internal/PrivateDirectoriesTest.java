package dev.provium.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.ProviumConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoriesTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsCreatedPrivate() throws IOException {
        Path cache = dir.resolve("a/b/cache");
        PrivateDirectories.ensure(cache, "the cache directory", "cache_dir");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void anOwnReadableDirectoryIsMadePrivate() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateDirectories.ensure(cache, "the cache directory", "cache_dir");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefusedWithTheFix() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateDirectories.ensure(cache, "the cache directory", "cache_dir"))
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
        assertThatThrownBy(() -> PrivateDirectories.ensure(cache, "the cache directory", "cache_dir"))
                .isInstanceOf(ProviumConfigException.class)
                .hasMessageStartingWith("the cache directory " + cache + " belongs to user nobody, not to root")
                .hasMessageEndingWith("set cache_dir in [provium] of provium.toml (or -Dprovium.cache_dir=…) to a directory of your own");
    }
}
