package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per fault a guest, QEMU or the test JVM can suffer. Each asserts what the user is told, that it is
 * told within a generous bound (seconds, where the operation timeout would be minutes), and that no QEMU, run
 * directory or socket is left behind.
 */
class FaultTest {
    /** Generous: a fault must be reported within this, not after the 300 s operation timeout. */
    private static final Duration BOUND = Duration.ofSeconds(45);

    @TempDir
    static Path project;
    @TempDir
    static Path logs;
    private final List<String> notices = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void needsQemu() throws IOException {
        TestQemu.assumeInstalled();
        Files.writeString(project.resolve("provium.toml"), """
                [profile.real-init]
                init = "/sbin/init"
                """);
    }

    private VmService service(String... parameters) {
        Map<String, String> values = new HashMap<>();
        values.put("provium.log_dir", logs.toString());
        for (int i = 0; i < parameters.length; i += 2) {
            values.put("provium." + parameters[i], parameters[i + 1]);
        }
        return VmService.create(ProviumConfig.load(project, key -> Optional.ofNullable(values.get(key))), notices::add);
    }

    @Test
    void aGuestKernelPanicIsReportedWithThePanicAndItsLogIsKept() {
        try (VmService service = service()) {
            Vm vm = service.create();
            vm.logGroup("panic.lua");
            vm.boot(BootOptions.defaults().withMemory("128M"));
            Running running = Running.of(vm);

            long start = System.nanoTime();
            VmException failure = catchThrowableOfType(VmException.class, () -> vm.exec("echo c > /proc/sysrq-trigger"));

            assertWithinBound(start);
            assertThat(failure.getMessage())
                    .contains("exec `echo c > /proc/sysrq-trigger` failed")
                    .contains("QEMU has exited")
                    .contains("the guest kernel panicked: Kernel panic - not syncing: sysrq triggered crash");
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
            running.assertNothingLeft();
            Path kept = logs.resolve("panic.lua/default/console.log");
            assertThat(failure.consoleLog()).contains(kept);
            assertThat(kept).content().contains("sysrq triggered crash");
            assertThat(notices).contains("provium: console log of vm default kept: " + kept);
        }
    }

    @Test
    void aKilledAgentFailsTheCallWithinTheOperationTimeout() {
        try (VmService service = service("operation_timeout", "3")) {
            Vm vm = service.create("real-init");
            vm.boot(BootOptions.defaults().withMemory("128M"));
            Running running = Running.of(vm);
            String agentPid = vm.exec("for p in /proc/[0-9]*; do [ \"$(readlink $p/exe)\" = /init ] && echo ${p#/proc/}; done")
                    .stdoutText().strip();
            assertThat(agentPid).as("the agent's pid in the guest (not PID 1 under a real init)").matches("\\d+").isNotEqualTo("1");
            vm.background("sleep 0.5; kill -9 " + agentPid);

            long start = System.nanoTime();
            assertThatThrownBy(() -> vm.exec("sleep 60"))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("exec `sleep 60` failed")
                    .hasMessageMatching("(?s).*(no reply|timed out|did not answer).*");
            assertWithinBound(start);
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
            running.assertNothingLeft();
        }
    }

    @Test
    void aQemuKilledWithSigkillFailsTheNextCallAtOnce() {
        try (VmService service = service()) {
            Vm vm = service.create();
            vm.boot(BootOptions.defaults().withMemory("128M"));
            Running running = Running.of(vm);
            ProcessHandle.of(running.qemuPid).orElseThrow().destroyForcibly();

            long start = System.nanoTime();
            assertThatThrownBy(() -> vm.exec("true"))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("exec `true` failed")
                    .hasMessageContaining("QEMU has exited with code 137");
            assertWithinBound(start);
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
            running.assertNothingLeft();
        }
    }

    @Test
    void aStoppedQemuFailsTheCallWhenTheShortOperationTimeoutPasses() throws Exception {
        try (VmService service = service("operation_timeout", "2")) {
            Vm vm = service.create();
            vm.boot(BootOptions.defaults().withMemory("128M"));
            Running running = Running.of(vm);
            signal("STOP", running.qemuPid);

            long start = System.nanoTime();
            assertThatThrownBy(() -> vm.exec("true"))
                    .isInstanceOf(VmException.class)
                    .hasMessageContaining("exec `true` failed")
                    .hasMessageContaining("guest-side timeout 2s");
            assertWithinBound(start);
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
            running.assertNothingLeft();
        }
    }

    @Test
    void aJvmKilledWithSigkillTakesItsQemuAlongAndTheNextStartSweepsItsRunDirectory() throws Exception {
        assumeTrue(QemuProcess.diesWithJvm(), "setpriv (util-linux) is not installed");
        Process jvm = childJvm(GuestHolderMain.class, List.of(), project.toString(), cacheDir().toString());
        try {
            String[] guest = awaitLine(jvm, "guest ").split(" ");
            long qemuPid = Long.parseLong(guest[1]);
            Path runDir = Path.of(guest[2]);
            assertThat(runDir.resolve("agent.sock")).exists();

            jvm.destroyForcibly().waitFor();
            awaitGone(qemuPid);
            assertThat(TestQemu.running(qemuPid)).as("QEMU of the killed JVM").isFalse();
            assertThat(runDir).as("the run directory of a JVM killed with SIGKILL, before the next start").exists();

            service().close();
            assertThat(runDir).as("after the next VmService started").doesNotExist();
            assertThat(notices).anyMatch(line -> line.startsWith("provium: removed ") && line.contains(runDir.toString()));
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void aJvmEndedWithSigtermKillsItsQemuAndDeletesItsRunDirectory() throws Exception {
        Process jvm = childJvm(GuestHolderMain.class, List.of(), project.toString(), cacheDir().toString());
        try {
            String[] guest = awaitLine(jvm, "guest ").split(" ");
            long qemuPid = Long.parseLong(guest[1]);
            Path runDir = Path.of(guest[2]);

            long start = System.nanoTime();
            jvm.destroy();
            assertThat(jvm.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            assertWithinBound(start);
            awaitGone(qemuPid);
            assertThat(TestQemu.running(qemuPid)).as("QEMU of the terminated JVM").isFalse();
            assertThat(runDir).as("run directory (sockets, logs) of the terminated JVM").doesNotExist();
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void endlessRepliesFailTheirCallsNotASmallHeapJvm() throws Exception {
        Process jvm = childJvm(EndlessReplyMain.class, List.of("-Xmx256m"), project.toString(), cacheDir().toString());
        try {
            String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(output)
                    .as("child JVM output")
                    .containsPattern("read_file failed: read_file /dev/urandom failed: read_file /dev/urandom passed \\d+ MiB, the reply limit")
                    .containsPattern("exec failed: exec `cat /dev/zero` failed: stdout of exec `cat /dev/zero` passed \\d+ MiB, the reply limit")
                    .contains("-Dprovium.reply_limit=")
                    .contains("child done")
                    .doesNotContain("OutOfMemoryError");
            assertThat(jvm.exitValue()).as("exit code of the child JVM\n" + output).isZero();
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void aCorruptedSnapshotIsRejectedByItsChecksumWithOneLineAndBuiltAgain(@TempDir Path cache) throws IOException {
        TestQemu.sharingImages(cache, project);
        Path script = Files.writeString(project.resolve("base.lua"), "-- a fixture script\n");
        int[] builds = {0};
        try (VmService service = service("cache_dir", cache.toString())) {
            Fixtures.create(service).resume("base", script, (directory, inputs) -> {
                builds[0]++;
                try (Vm vm = service.create()) {
                    vm.boot(BootOptions.defaults().withMemory("128M"));
                    vm.exec("echo built > /etc/state");
                    vm.snapshotAndStop(directory);
                }
            }).vm().kill();
        }
        List<Path> states;
        try (Stream<Path> files = Files.walk(cache.resolve("fixtures"))) {
            // the fixture's own snapshot; the boot cache's (in boot buckets of the same directory) stays intact
            states = files.filter(file -> file.getFileName().toString().equals(VmSnapshot.STATE_FILE))
                    .filter(file -> !cache.resolve("fixtures").relativize(file).getName(0).toString().startsWith("boot-")).toList();
        }
        assertThat(states).as("state files of the fixture cache").isNotEmpty();
        for (Path state : states) {
            try (RandomAccessFile file = new RandomAccessFile(state.toFile(), "rw")) {
                file.seek(file.length() / 2);
                int b = file.read();
                file.seek(file.length() / 2);
                file.write(b ^ 0xff);
            }
        }
        notices.clear();

        try (VmService service = service("cache_dir", cache.toString())) {
            Vm vm = Fixtures.create(service).resume("base", script, (directory, inputs) -> {
                builds[0]++;
                try (Vm built = service.create()) {
                    built.boot(BootOptions.defaults().withMemory("128M"));
                    built.exec("echo rebuilt > /etc/state");
                    built.snapshotAndStop(directory);
                }
            }).vm();
            Running running = Running.of(vm);
            assertThat(builds[0]).as("builds; notices: %s; state files: %s", notices, states).isEqualTo(2);
            assertThat(vm.exec("cat /etc/state").stdoutText()).isEqualTo("rebuilt\n");
            vm.kill();
            running.assertNothingLeft();
        }
        TestQemu.unshareImages(cache);
        assertThat(builds[0]).isEqualTo(2);
        List<String> fixtureLines = notices.stream().filter(line -> line.contains(" base ") || line.contains("of base ")).toList();
        assertThat(fixtureLines).hasSize(2);
        assertThat(fixtureLines.get(0))
                .startsWith("provium: cached snapshot of base does not resume: its state file ")
                .contains("does not match the SHA-256 recorded when it was saved")
                .endsWith("; building it again")
                .doesNotContain("Exception");
        assertThat(fixtureLines.get(1)).startsWith("provium: fixture base built in ");
        assertThat(notices).noneMatch(line -> line.contains("resumed from cache"));
    }

    @Test
    void aGuestKilledWhileAnotherThreadBootsItFailsThatBootAndItsQemuEnds() {
        try (VmService service = service()) {
            Vm vm = service.create();
            Set<Long> before = guestQemus();
            CompletableFuture<Void> boot = CompletableFuture.runAsync(() -> vm.boot(BootOptions.defaults().withMemory("128M")));
            while (vm.state() == Vm.State.CREATED) {
                Thread.onSpinWait();
            }
            vm.kill();
            long start = System.nanoTime();
            assertThatThrownBy(boot::join)
                    .hasCauseInstanceOf(VmException.class)
                    .hasMessageContaining("vm default was killed while it was starting (boot)");
            assertWithinBound(start);
            assertThat(vm.state()).isEqualTo(Vm.State.FAILED);
            assertThat(vm.qemuPid()).isEmpty();
            Set<Long> left = guestQemus();
            left.removeAll(before);
            left.forEach(FaultTest::awaitGone);
            assertThat(left).as("guest QEMUs started by the killed boot").allSatisfy(pid ->
                    assertThat(TestQemu.running(pid)).as("QEMU pid " + pid).isFalse());
        }
    }

    // ---- helpers ----

    /** This JVM's QEMUs that run a guest (not those started ahead, which wait with {@code -incoming defer}). */
    private static Set<Long> guestQemus() {
        return TestQemu.childQemus().stream()
                .filter(process -> !TestQemu.commandLine(process).contains("-incoming"))
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** What a running guest owns on the host, to check that all of it is gone. */
    private record Running(long qemuPid, Path runDir) {
        static Running of(Vm vm) {
            Running running = new Running(vm.qemuPid().orElseThrow(), vm.runDirectory().orElseThrow());
            assertThat(running.runDir.resolve("agent.sock")).exists();
            assertThat(running.runDir.resolve("qmp.sock")).exists();
            return running;
        }

        void assertNothingLeft() {
            awaitGone(qemuPid);
            assertThat(TestQemu.running(qemuPid)).as("QEMU pid " + qemuPid).isFalse();
            assertThat(runDir.resolve("agent.sock")).as("agent socket").doesNotExist();
            assertThat(runDir.resolve("qmp.sock")).as("QMP socket").doesNotExist();
            assertThat(runDir).as("run directory").doesNotExist();
        }
    }

    private static void assertWithinBound(long startNanos) {
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).as("time until the fault was reported").isLessThan(BOUND);
    }

    private static void awaitGone(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (TestQemu.running(pid) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static Path cacheDir() {
        return ProviumConfig.load(project).cacheDir();
    }

    private static Process childJvm(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The first line of the child's output that starts with prefix; fails when the child ends first. */
    private static String awaitLine(Process jvm, String prefix) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the child JVM ended without printing '" + prefix + "…':\n" + seen);
    }
}
