package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.agent.ExecResult;
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
            configured = vm.snapshot(snapshots.resolve("configured"));
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
        long start = System.nanoTime();
        try (Vm vm = service.resume(configured)) {
            System.out.printf("resume took %.3f s%n", (System.nanoTime() - start) / 1e9);
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
            assertThat(text(first.exec("cat /proc/sys/kernel/random/uuid")))
                    .isNotEqualTo(text(second.exec("cat /proc/sys/kernel/random/uuid")));
        }
    }

    private static String text(ExecResult result) {
        assertThat(result.exitCode()).as("exit code of a command, stderr: %s", result.stderrText()).isZero();
        return result.stdoutText().strip();
    }
}
