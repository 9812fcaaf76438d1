package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @Test
    void isPrivateAndShortEnoughForSockets() throws IOException {
        try (RunDirectory run = RunDirectory.create()) {
            assertThat(run.path()).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run.path()))).isEqualTo("rwx------");
            assertThat(run.agentSocket().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
            assertThat(run.qmpSocket().getParent()).isEqualTo(run.path());
            assertThat(run.consoleLog().getFileName()).hasToString("console.log");
            assertThat(run.qemuOutput().getFileName()).hasToString("qemu.log");
        }
    }

    @Test
    void closeDeletesEverythingAndMayBeRepeated() throws IOException {
        RunDirectory run = RunDirectory.create();
        Files.writeString(run.consoleLog(), "boot");
        Files.createDirectories(run.path().resolve("sub"));
        Files.writeString(run.path().resolve("sub/file"), "x");

        run.close();
        run.close();

        assertThat(run.path()).doesNotExist();
    }

    @Test
    void refusesABaseWhereSocketPathsWouldBeTooLong(@TempDir Path dir) {
        Path deep = dir.resolve("a".repeat(100));

        assertThatThrownBy(() -> RunDirectory.createIn(deep))
                .isInstanceOf(QemuException.class)
                .hasMessageContaining("longer than 107 bytes")
                .hasMessageContaining("java.io.tmpdir");
    }
}
