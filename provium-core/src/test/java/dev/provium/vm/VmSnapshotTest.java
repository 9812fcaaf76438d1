package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.guest.ExecResult;
import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of real guests, and guests resumed from them. */
class VmSnapshotTest {
    @TempDir
    static Path project;
    @TempDir
    static Path snapshots;
    private static VmService service;
    private static VmSnapshot configured;

    @BeforeAll
    static void snapshotAConfiguredGuest() {
        TestQemu.assumeInstalled();
        service = VmService.create(ProviumConfig.load(project));
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("256M"));
            vm.writeFile("/etc/configured", "by the build\n".getBytes(StandardCharsets.UTF_8));
            vm.exec("echo 1 > /tmp/counter");
            configured = vm.snapshotAndStop(snapshots.resolve("configured"));
            assertThat(vm.state()).isEqualTo(Vm.State.STOPPED);
        }
    }

    @AfterAll
    static void noGuestLeft() {
        if (service != null) {
            service.close();
        }
        assertThat(LiveQemus.count()).as("QEMU processes still running after the snapshot tests").isZero();
    }

    @Test
    void aResumedGuestHasTheSavedStateAndBehavesLikeABootedOne() {
        try (Vm vm = service.resume(configured)) {
            assertThat(vm.state()).isEqualTo(Vm.State.RUNNING);
            assertThat(new String(vm.readFile("/etc/configured"), StandardCharsets.UTF_8)).isEqualTo("by the build\n");
            assertThat(text(vm.exec("cat /tmp/counter"))).isEqualTo("1");
            assertThat(vm.bootOptions()).isEmpty();
            vm.shutdown();
            assertThat(vm.state()).isEqualTo(Vm.State.STOPPED);
        }
    }

    @Test
    void guestsResumedFromOneSnapshotAreIsolated() {
        try (Vm first = service.resume(configured); Vm second = service.resume(configured)) {
            first.exec("echo 2 > /tmp/counter");
            assertThat(text(second.exec("cat /tmp/counter"))).isEqualTo("1");
            assertThat(text(first.exec("cat /tmp/counter"))).isEqualTo("2");
            // the guests' random number generators go separate ways too (the CPU model has RDRAND)
            assertThat(text(first.exec("cat /proc/sys/kernel/random/uuid")))
                    .isNotEqualTo(text(second.exec("cat /proc/sys/kernel/random/uuid")));
        }
    }

    @Test
    void aGuestWithAWritableDiskIsNotSavedAndKeepsRunningAndAFailedSaveFailsTheGuest() throws IOException {
        Path disk = project.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("128M").withDisks(List.of(new Disk(disk, Disk.Format.RAW, false))));
            assertThatThrownBy(() -> vm.snapshotAndStop(snapshots.resolve("writable")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("its disk " + disk + " is writable")
                    .hasMessageContaining("attach it read-only");
            assertThat(vm.state()).isEqualTo(Vm.State.RUNNING);
            assertThat(text(vm.exec("echo still here"))).isEqualTo("still here");
        }
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("128M"));
            Path unwritable = Files.createDirectories(snapshots.resolve("unwritable").resolve(VmSnapshot.STATE_FILE)).getParent();
            assertThatThrownBy(() -> vm.snapshotAndStop(unwritable))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("snapshot of vm default into " + unwritable + " failed: migration failed");
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
        }
    }

    @Test
    void aDamagedStateFailsTheResumeWithQemusReason() throws IOException {
        Path damaged = snapshots.resolve("damaged");
        Files.createDirectories(damaged);
        for (String file : List.of(VmSnapshot.LAYOUT_FILE, VmSnapshot.INITRD_FILE)) {
            Files.copy(configured.directory().resolve(file), damaged.resolve(file));
        }
        Files.write(damaged.resolve(VmSnapshot.STATE_FILE), "QEVM but not really".getBytes(StandardCharsets.UTF_8));
        VmSnapshot snapshot = VmSnapshot.read(damaged);

        assertThatThrownBy(() -> service.resume(snapshot))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("vm default failed to resume from " + damaged)
                .hasMessageContaining("QEMU said:");
        assertThat(LiveQemus.count()).isZero();
    }

    @Test
    void aSnapshotDirectoryWithoutItsFilesIsRejectedByName() throws IOException {
        Path partial = snapshots.resolve("partial");
        Files.createDirectories(partial);
        Files.copy(configured.directory().resolve(VmSnapshot.LAYOUT_FILE), partial.resolve(VmSnapshot.LAYOUT_FILE));
        assertThatThrownBy(() -> VmSnapshot.read(partial))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("snapshot " + partial + ": the saved state " + partial.resolve("state") + " is missing or unreadable");
        Files.writeString(partial.resolve(VmSnapshot.LAYOUT_FILE), "{\"format\": 1, \"profile\": ");
        assertThatThrownBy(() -> VmSnapshot.read(partial))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("snapshot " + partial + ": snapshot.json is not a valid layout: ");
    }

    private static String text(ExecResult result) {
        assertThat(result.exitCode()).as("exit code of a command, stderr: %s", result.stderrText()).isZero();
        return result.stdoutText().strip();
    }
}
