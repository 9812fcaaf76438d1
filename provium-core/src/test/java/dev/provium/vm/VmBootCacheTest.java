package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.provium.config.ProviumConfig;
import dev.provium.guest.ExecResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot cache with real guests: a boot saves the guest right after its first boot and later boots
 * resume it; copies get their own clock and RNG; QEMUs started ahead end with the service.
 */
class VmBootCacheTest {
    @TempDir
    static Path cache;
    @TempDir
    static Path project;
    private static final List<String> notices = new ArrayList<>();
    private static VmService service;

    @BeforeAll
    static void service() throws IOException {
        TestQemu.assumeInstalled();
        // the extracted kernel and base images are shared with the default cache: they are not what is tested
        TestQemu.sharingImages(cache, project);
        Files.writeString(project.resolve("provium.toml"), "[profile.early]\nboot_cache = false\n");
        ProviumConfig config = ProviumConfig.load(project, key -> key.equals("provium.cache_dir")
                ? Optional.of(cache.toString()) : Optional.empty());
        service = VmService.create(config, line -> {
            synchronized (notices) {
                notices.add(line);
            }
        });
    }

    @AfterAll
    static void noGuestLeft() throws IOException {
        if (service != null) {
            service.close();
            assertThat(service.prestarts().waiting()).isZero();
        }
        TestQemu.unshareImages(cache);
        assertThat(LiveQemus.count()).as("QEMU processes still running after the boot cache tests").isZero();
    }

    @Test
    void theFirstBootSavesASnapshotAndLaterBootsResumeItWithTheirOwnFiles() throws IOException {
        Path first = Files.writeString(project.resolve("first.conf"), "first\n");
        Path second = Files.writeString(project.resolve("run.sh"), "#!/bin/sh\necho second\n");
        Files.setPosixFilePermissions(second, PosixFilePermissions.fromString("rwxr-x---"));
        List<Path> before = bootSnapshots();
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("256M").withFiles(Map.of("/etc/app/first.conf", first)));
            assertThat(text(vm.exec("cat /etc/app/first.conf"))).isEqualTo("first");
        }
        List<Path> snapshots = bootSnapshots();
        List<Path> added = new ArrayList<>(snapshots);
        added.removeAll(before);
        assertThat(added).hasSize(1);
        VmSnapshot saved = VmSnapshot.read(added.get(0));
        assertThat(saved.template()).as("the snapshot keeps the guest's RAM as a template").isTrue();
        assertThat(Files.size(saved.stateFile())).as("the state without the RAM").isLessThan(8L << 20);
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("256M").withFiles(Map.of("/opt/run.sh", second)));
            assertThat(text(vm.exec("/opt/run.sh"))).isEqualTo("second");
            assertThat(text(vm.exec("stat -c %a /opt/run.sh"))).isEqualTo("750");
            assertThat(vm.exec("test -e /etc/app/first.conf").exitCode()).as("the first boot's file").isNotZero();
            assertThat(vm.bootOptions()).isPresent();
        }
        assertThat(bootSnapshots()).as("the second boot resumed the first one's snapshot").containsAll(snapshots);
        synchronized (notices) {
            assertThat(notices).filteredOn(line -> line.contains("boot snapshot of profile default (memory=256M")).hasSize(1);
        }
    }

    @Test
    void copiesHaveTheirOwnRandomBytesAndTheHostsTime() throws InterruptedException {
        BootOptions options = BootOptions.defaults().withMemory("192M");
        try (Vm vm = service.create()) {
            vm.boot(options); // saves the snapshot (if no other test did)
        }
        Thread.sleep(3000); // guest time does not pass while the snapshot waits
        try (Vm first = service.create(); Vm second = service.create()) {
            first.boot(options);
            second.boot(options);
            String a = text(first.exec("head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'"));
            String b = text(second.exec("head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n'"));
            assertThat(a).hasSize(64).isNotEqualTo(b);
            // what makes them differ on any kernel, also after its first minutes (when it reseeds only every
            // minute by itself): the guest kernel accepts the host's entropy and reseeds at once
            long[] reseed = NewMachine.reseed(first.agent().agentChannel(), Duration.ofSeconds(30));
            assertThat(reseed).as("open, RNDADDENTROPY, RNDRESEEDCRNG, close").hasSize(4);
            assertThat(reseed[0]).as("the descriptor of /dev/urandom").isNotNegative();
            assertThat(Arrays.copyOfRange(reseed, 1, 4)).containsOnly(0L);
            long before = Instant.now().getEpochSecond();
            long guest = Long.parseLong(text(first.exec("date +%s"))); // busybox date: whole seconds
            long after = Instant.now().getEpochSecond();
            assertThat(guest).as("the guest's clock, in seconds since the epoch, against the host's")
                    .isBetween(before - 1, after + 1);
        }
    }

    @Test
    void coldBootsAndProfilesWithoutTheCacheSaveNothing() throws IOException {
        List<Path> before = bootSnapshots();
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("160M").cold());
            assertThat(text(vm.exec("echo cold"))).isEqualTo("cold");
        }
        try (Vm vm = service.create("early")) {
            vm.boot(BootOptions.defaults().withMemory("160M"));
            assertThat(text(vm.exec("echo early"))).isEqualTo("early");
        }
        assertThat(bootSnapshots()).isEqualTo(before);
    }

    @Test
    void aQemuIsStartedAheadForTheLayoutJustResumedAndTakenByTheNextResume() throws InterruptedException {
        BootOptions options = BootOptions.defaults().withMemory("224M");
        try (Vm vm = service.create()) {
            vm.boot(options);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.prestarts().waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(service.prestarts().waiting()).as("QEMUs started ahead").isPositive();
        try (Vm vm = service.create()) {
            vm.boot(options);
            assertThat(text(vm.exec("echo ahead"))).isEqualTo("ahead");
        }
    }

    private static List<Path> bootSnapshots() throws IOException {
        Path root = cache.resolve("fixtures");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().equals(VmSnapshot.LAYOUT_FILE))
                    .map(Path::getParent)
                    .filter(dir -> dir.getParent().getFileName().toString().startsWith("boot-default-"))
                    .filter(dir -> dir.toString().contains("/boot-default-"))
                    .sorted().toList();
        }
    }

    private static String text(ExecResult result) {
        assertThat(result.exitCode()).as("exit code of a command, stderr: %s", result.stderrText()).isZero();
        return result.stdoutText().strip();
    }
}
