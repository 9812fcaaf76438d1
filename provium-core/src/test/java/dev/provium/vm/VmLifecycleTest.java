package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.guest.AgentErrorException;
import dev.provium.guest.ExecResult;
import dev.provium.guest.SyscallRequest;
import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real guests under QEMU (TCG here): the default kernel, the real agent, real devices. */
class VmLifecycleTest {
    private static final long SYS_EXIT = 60;
    @TempDir
    static Path project;
    private static VmService service;

    @BeforeAll
    static void startService() throws IOException {
        TestQemu.assumeInstalled();
        Files.writeString(project.resolve("provium.toml"), """
                [profile.small]
                [profile.no-init]
                append = "rdinit=/does-not-exist"
                """);
        service = VmService.create(ProviumConfig.load(project));
    }

    @AfterAll
    static void noGuestLeft() {
        if (service != null) {
            service.close();
        }
        assertThat(LiveQemus.count()).as("QEMU processes still running after the VM tests").isZero();
    }

    @Test
    void bootsTheDefaultGuestWithFilesAndADisk() throws IOException {
        Path injected = Files.writeString(project.resolve("hello.txt"), "hello from the host\n");
        Path disk = project.resolve("disk.img");
        try (var raw = Files.newOutputStream(disk)) {
            raw.write(new byte[1024 * 1024]);
        }
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults()
                    .withFiles(Map.of("/etc/greeting", injected))
                    .withDisks(List.of(new Disk(disk, Disk.Format.RAW, false))));
            assertThat(vm.state()).isEqualTo(Vm.State.RUNNING);

            String kernelVersion = service.kernels().locate(vm.profile().kernel()).version();
            assertThat(text(vm.exec("uname -r"))).isEqualTo(kernelVersion);
            assertThat(new String(vm.readFile("/etc/greeting"), StandardCharsets.UTF_8)).isEqualTo("hello from the host\n");
            assertThat(text(vm.exec("blockdev --getsize64 /dev/vda"))).isEqualTo("1048576");
            vm.exec("echo 'provium-test: kernel log line' > /dev/kmsg");
            assertThat(vm.kernelLogTail(3, Duration.ofSeconds(10))).hasValueSatisfying(tail -> {
                assertThat(tail.lines()).hasSize(3);
                assertThat(tail).endsWith("provium-test: kernel log line");
            });

            vm.shutdown();
            assertThat(vm.kernelLogTail(3, Duration.ofSeconds(10))).as("a stopped guest has none to give").isEmpty();
            assertThat(vm.state()).isEqualTo(Vm.State.STOPPED);
            assertThatThrownBy(() -> vm.exec("true"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("vm default: it is stopped");
        }
    }

    @Test
    void givesTheGuestTheRequestedMemoryAndCpus() {
        try (Vm vm = service.create("small")) {
            assertThatThrownBy(() -> vm.exec("true")).hasMessageContaining("it is not booted yet");
            vm.boot(BootOptions.defaults().withMemory("256M").withCpus(2));
            assertThat(text(vm.exec("grep -c ^processor /proc/cpuinfo"))).isEqualTo("2");
            long memTotalKib = Long.parseLong(text(vm.exec("awk '/MemTotal/ {print $2}' /proc/meminfo")));
            assertThat(memTotalKib).isBetween(180_000L, 262_144L);
            assertThatThrownBy(() -> vm.boot()).hasMessageContaining("cannot boot vm small: it is running");
        }
    }

    @Test
    void aKernelPanicWhileRunningFailsTheNextOperationWithTheConsoleTail() {
        try (Vm vm = service.create()) {
            vm.boot();
            Instant start = Instant.now();
            assertThatThrownBy(() -> vm.exec("echo c > /proc/sysrq-trigger"))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("Kernel panic")
                    .hasMessageContaining("console log: ");
            assertThat(Duration.between(start, Instant.now())).as("failing fast, not at the operation timeout")
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
        }
    }

    @Test
    void aPanicDuringBootFailsTheBootWithTheCause() {
        Vm vm = service.create("no-init");
        assertThatThrownBy(vm::boot)
                .isInstanceOf(VmException.class)
                .hasMessageContaining("vm no-init failed to boot")
                .hasMessageContaining("Kernel panic")
                .satisfies(e -> assertThat(((VmException) e).consoleLog()).hasValueSatisfying(log -> assertThat(log).exists()));
        assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
    }

    @Test
    void qemuKilledFromOutsideFailsTheNextOperationQuickly() {
        try (Vm vm = service.create()) {
            vm.boot();
            long pid = vm.qemuPid().orElseThrow();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThatThrownBy(() -> vm.exec("true"))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("QEMU has exited");
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
        }
    }

    @Test
    void anOperationThatTimesOutIsCancelledAndTheGuestStaysUsable() {
        try (Vm vm = service.create()) {
            vm.boot();
            vm.operationTimeout(Duration.ofSeconds(2));
            assertThatThrownBy(() -> vm.readFile("/dev/kmsg")) // never reaches end of file
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("read_file /dev/kmsg failed")
                    .hasMessageContaining("timed out after 2s")
                    .hasMessageContaining("the request was cancelled");
            assertThat(vm.state()).isEqualTo(Vm.State.RUNNING);
            assertThat(text(vm.exec("echo still here"))).isEqualTo("still here");
        }
    }

    @Test
    void anAgentWhoseServerThreadEndsPowersTheGuestOffInsteadOfHanging() {
        try (Vm vm = service.create()) {
            vm.boot();
            long pid = vm.qemuPid().orElseThrow();
            assertThatThrownBy(() -> vm.syscall(SyscallRequest.syscall(SYS_EXIT).args(60).build()))
                    .isInstanceOf(AgentErrorException.class)
                    .hasMessageContaining("the agent's server thread on channel 0 ended before it answered request")
                    .hasMessageContaining("the agent ends");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::onExit).orElseThrow())
                    .as("QEMU ends: the guest powers off")
                    .succeedsWithin(Duration.ofSeconds(30));
            assertThatThrownBy(() -> vm.exec("true")).isInstanceOf(VmException.class);
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
        }
    }

    private static String text(ExecResult result) {
        assertThat(result.exitCode()).as("exit code of a command, stderr: %s", result.stderrText()).isZero();
        return result.stdoutText().strip();
    }
}
