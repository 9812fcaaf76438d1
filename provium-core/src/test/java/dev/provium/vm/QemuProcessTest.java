package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QemuProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RunDirectory run;
    private QemuProcess qemu;

    @BeforeEach
    void setUp() {
        TestQemu.assumeInstalled();
        run = RunDirectory.create();
    }

    @AfterEach
    void tearDown() {
        if (qemu != null) {
            qemu.kill();
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void killEndsARunningQemu() {
        qemu = QemuProcess.start(TestQemu.idleWithQmp(run), run.qemuOutput());
        assertThat(qemu.isAlive()).isTrue();
        assertThat(qemu.exitCode()).isEmpty();
        assertThat(qemu.pid()).isPositive();
        assertThat(LiveQemus.count()).isPositive();

        qemu.kill();

        assertThat(qemu.isAlive()).isFalse();
        assertThat(TestQemu.running(qemu.pid())).isFalse();
        assertThat(qemu.exitCode()).isPresent();
        qemu.kill();
    }

    @Test
    void reportsTheExitCodeAndMessageOfAQemuThatFails() {
        qemu = QemuProcess.start(List.of(QemuCommandLine.DEFAULT_BINARY, "-nodefaults", "-display", "none",
                "-kernel", "/nonexistent/vmlinuz"), run.qemuOutput());

        assertThat(qemu.awaitExit(WAIT)).isTrue();
        assertThat(qemu.exitCode()).contains(1);
        assertThat(qemu.output()).contains("could not open kernel file '/nonexistent/vmlinuz'");
    }

    @Test
    void reportsABadArgument() {
        qemu = QemuProcess.start(List.of(QemuCommandLine.DEFAULT_BINARY, "-no-such-option"), run.qemuOutput());

        assertThat(qemu.awaitExit(WAIT)).isTrue();
        assertThat(qemu.exitCode()).contains(1);
        assertThat(qemu.output()).contains("-no-such-option: invalid option");
    }

    @Test
    void aMissingBinaryIsReportedWithTheFix() {
        assertThatThrownBy(() -> QemuProcess.start(List.of("qemu-system-nonexistent-arch"), run.qemuOutput()))
                .isInstanceOf(QemuNotInstalledException.class)
                .hasMessage("qemu-system-nonexistent-arch not found on PATH; install QEMU (Debian/Ubuntu: apt-get install qemu-system-x86)");
    }

    @Test
    void survivesTheEndOfTheThreadThatStartedIt() throws InterruptedException {
        AtomicReference<QemuProcess> started = new AtomicReference<>();
        Thread starter = new Thread(() -> started.set(QemuProcess.start(TestQemu.idleWithQmp(run), run.qemuOutput())));
        starter.start();
        starter.join();
        qemu = started.get();

        // the parent-death signal is tied to Commons Exec's waiter thread, not to the caller's thread
        try (QmpClient qmp = QmpClient.connect(run.qmpSocket(), WAIT, qemu)) {
            assertThat(qmp.queryStatus()).isEqualTo("running");
        }
        assertThat(qemu.isAlive()).isTrue();
    }

    @Test
    void diesWhenTheJvmIsKilled() throws Exception {
        assumeTrue(QemuProcess.diesWithJvm(), "setpriv (util-linux) is not installed");

        assertQemuDiesWithChildJvm("wait", jvm -> jvm.destroyForcibly().waitFor());
    }

    @Test
    void theShutdownHookKillsQemuWithoutSetpriv() throws Exception {
        assertQemuDiesWithChildJvm("exit", Process::waitFor);
    }

    private interface JvmEnding {
        void end(Process jvm) throws InterruptedException;
    }

    private void assertQemuDiesWithChildJvm(String mode, JvmEnding ending) throws Exception {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), OrphanedQemuMain.class.getName(),
                run.path().toString(), mode).redirectErrorStream(true).start();
        long qemuPid = -1;
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("qemu pid ")) {
                // skip anything else the child JVM prints
            }
            assertThat(line).as("child JVM output").isNotNull();
            qemuPid = Long.parseLong(line.substring("qemu pid ".length()));

            ending.end(jvm);

            Optional<ProcessHandle> handle = ProcessHandle.of(qemuPid);
            if (handle.isPresent()) {
                handle.get().onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(TestQemu.running(qemuPid)).as("QEMU after its JVM ended").isFalse();
        } finally {
            jvm.destroyForcibly();
            if (qemuPid > 0) {
                ProcessHandle.of(qemuPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
