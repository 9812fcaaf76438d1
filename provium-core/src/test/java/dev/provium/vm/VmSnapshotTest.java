package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.guest.ExecResult;
import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
                    .hasMessageContaining("snapshot of vm default into " + unwritable + " failed: ")
                    .hasMessageContaining("migration failed");
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
        }
    }

    @Test
    void aDamagedStateFailsTheResumeWithQemusReason() throws IOException, InterruptedException {
        Path damaged = snapshots.resolve("damaged");
        Files.createDirectories(damaged);
        for (String file : List.of(VmSnapshot.LAYOUT_FILE, VmSnapshot.INITRD_FILE, VmSnapshot.MEMORY_FILE)) {
            if (Files.exists(configured.directory().resolve(file))) {
                Files.copy(configured.directory().resolve(file), damaged.resolve(file));
            }
        }
        Path state = Files.write(damaged.resolve(VmSnapshot.STATE_FILE), "QEVM but not really".getBytes(StandardCharsets.UTF_8));
        // the checksum would reject it before QEMU sees it (aStateChangedSinceItWasSavedIsRejectedByItsChecksum)
        Path layout = damaged.resolve(VmSnapshot.LAYOUT_FILE);
        Files.writeString(layout, Files.readString(layout).replaceAll("\"stateSha256\" : \"[0-9a-f]+\"",
                "\"stateSha256\" : \"" + VmSnapshot.sha256(state) + "\""));
        VmSnapshot snapshot = VmSnapshot.read(damaged);

        assertThatThrownBy(() -> service.resume(snapshot))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("vm default failed to resume from " + damaged)
                .hasMessageContaining("QEMU said:");
        // no QEMU is left by the failed resume; those started ahead for the good snapshot go when asked to
        service.prestarts().releaseAll();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (LiveQemus.count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(LiveQemus.count()).isZero();
    }

    @Test
    void aStateChangedSinceItWasSavedIsRejectedByItsChecksum() throws IOException {
        Path changed = snapshots.resolve("changed");
        Files.createDirectories(changed);
        for (String file : List.of(VmSnapshot.LAYOUT_FILE, VmSnapshot.INITRD_FILE, VmSnapshot.STATE_FILE, VmSnapshot.MEMORY_FILE)) {
            if (Files.exists(configured.directory().resolve(file))) {
                Files.copy(configured.directory().resolve(file), changed.resolve(file));
            }
        }
        Path state = changed.resolve(VmSnapshot.STATE_FILE);
        byte[] bytes = Files.readAllBytes(state);
        bytes[bytes.length / 3] ^= 1;
        Files.write(state, bytes);
        VmSnapshot snapshot = VmSnapshot.read(changed);

        assertThatThrownBy(() -> service.resume(snapshot))
                .isInstanceOf(SnapshotException.class)
                .hasMessage("its state file " + state + " does not match the SHA-256 recorded when it was saved (changed or damaged since)");
    }

    @Test
    void aSnapshotIsPrivate() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configured.directory()))).isEqualTo("rwx------");
        for (String file : List.of(VmSnapshot.LAYOUT_FILE, VmSnapshot.INITRD_FILE, VmSnapshot.STATE_FILE)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configured.directory().resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
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
