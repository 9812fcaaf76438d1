package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories name their owner, are private, and outlive a dead owner only until the next sweep. */
class RunDirectorySweepTest {
    @TempDir
    Path base;

    @Test
    void isNamedByItsOwnerAndItsFilesArePrivate() throws IOException {
        try (RunDirectory run = RunDirectory.createIn(base)) {
            assertThat(run.path().getFileName().toString()).startsWith("provium-" + ProcessHandle.current().pid() + "-");
            for (Path file : new Path[] {run.consoleLog(), run.qemuOutput(), run.path().resolve(RunDirectory.OWNER_FILE)}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            }
            assertThat(RunDirectory.sweepStale(base)).as("a live owner's directory").isEmpty();
            assertThat(run.path()).exists();
        }
    }

    @Test
    void sweepsTheDirectoriesOfOwnersThatAreGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(base.resolve("provium-" + gone.pid() + "-123"));
        Files.writeString(stale.resolve("agent.sock"), "");
        Path reused = Files.createDirectory(base.resolve("provium-" + ProcessHandle.current().parent().orElseThrow().pid() + "-456"));
        Files.writeString(reused.resolve(RunDirectory.OWNER_FILE), "1 12345");
        Path unrelated = Files.createDirectory(base.resolve("provium-9999999999999999999"));

        assertThat(RunDirectory.sweepStale(base)).containsExactlyInAnyOrder(stale, reused);

        assertThat(stale).doesNotExist();
        assertThat(reused).as("a live pid whose start time differs from the owner's").doesNotExist();
        assertThat(unrelated).as("not a run directory of this kind").exists();
    }

    @Test
    void keptLogsMoveOutAndTheRunDirectoryGoes() throws IOException {
        RunDirectory run = RunDirectory.createIn(base);
        Files.writeString(run.consoleLog(), "Linux version 6.1\n");
        Path kept = run.keepLogsIn(base.resolve("logs/boot.lua/default")).orElseThrow();
        assertThat(kept).isEqualTo(base.resolve("logs/boot.lua/default/console.log")).hasContent("Linux version 6.1");
        assertThat(base.resolve("logs/boot.lua/default/qemu.log")).as("QEMU said nothing: not kept").doesNotExist();
        assertThat(run.path()).doesNotExist();
    }

    @Test
    void anEmptyConsoleLogIsKeptToo() throws IOException {
        RunDirectory run = RunDirectory.createIn(base);
        Files.writeString(run.qemuOutput(), "qemu-system-x86_64: warning\n");
        Path kept = run.keepLogsIn(base.resolve("logs/quiet.lua/default")).orElseThrow();
        assertThat(kept).isEqualTo(base.resolve("logs/quiet.lua/default/console.log")).isEmptyFile();
        assertThat(base.resolve("logs/quiet.lua/default/qemu.log")).hasContent("qemu-system-x86_64: warning");
        assertThat(run.path()).doesNotExist();
    }

    @Test
    void logPlacesOfOneNameAreNumberedAndStayInsideTheLogDirectory() {
        Path root = base.resolve("logs");
        assertThat(new LogPlace(root, "net/routes.lua", "router").directory()).isEqualTo(root.resolve("net/routes.lua/router"));
        assertThat(new LogPlace(root, "net/routes.lua", "router").directory()).isEqualTo(root.resolve("net/routes.lua/router-2"));
        assertThat(new LogPlace(root, "../../etc", "x").directory()).isEqualTo(root.resolve("etc/x"));
    }
}
