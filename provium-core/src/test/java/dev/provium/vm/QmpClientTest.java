package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QmpClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RunDirectory run;
    private QemuProcess qemu;
    private QmpClient qmp;

    @BeforeEach
    void startQemu() {
        TestQemu.assumeInstalled();
        run = RunDirectory.create();
        qemu = QemuProcess.start(TestQemu.idleWithQmp(run), run.qemuOutput());
        qmp = QmpClient.connect(run.qmpSocket(), WAIT, qemu);
    }

    @AfterEach
    void killQemu() {
        if (qmp != null) {
            qmp.close();
        }
        if (qemu != null) {
            qemu.kill();
        }
        if (run != null) {
            run.close();
        }
    }

    @Test
    void greetsAndAnswersQueries() {
        assertThat(qmp.greeting().at("/QMP/version/qemu/major").asInt()).isPositive();
        assertThat(qmp.queryStatus()).isEqualTo("running");
        assertThat(qmp.execute("query-version").has("qemu")).isTrue();
        assertThat(qmp.isOpen()).isTrue();
    }

    @Test
    void stopsAndContinues() {
        qmp.stop();
        assertThat(qmp.queryStatus()).isEqualTo("paused");

        qmp.cont();
        assertThat(qmp.queryStatus()).isEqualTo("running");
        assertThat(qmp.events()).extracting(event -> event.get("event").asText()).containsSubsequence("STOP", "RESUME");
    }

    @Test
    void errorsCarryQemusClassAndDescription() {
        assertThatThrownBy(() -> qmp.execute("no-such-command"))
                .isInstanceOf(QmpException.class)
                .hasMessage("QMP command 'no-such-command' failed: CommandNotFound: The command no-such-command has not been found")
                .satisfies(e -> assertThat(((QmpException) e).errorClass()).contains("CommandNotFound"));
        assertThatThrownBy(() -> qmp.execute("query-status", Map.of("bogus", 1), WAIT))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("GenericError");
        assertThat(qmp.queryStatus()).isEqualTo("running");
    }

    @Test
    void migratesToAFile() throws IOException {
        Path state = run.path().resolve("state.bin");
        qmp.stop();

        qmp.migrate("exec:cat > " + state);
        JsonNode done = qmp.awaitMigration(WAIT);

        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(qmp.queryMigrate().get("status").asText()).isEqualTo("completed");
        assertThat(Files.size(state)).isPositive();
    }

    @Test
    void aFailedMigrationSaysWhy() {
        qmp.migrate("unix:" + run.path().resolve("nobody-listens.sock"));

        assertThatThrownBy(() -> qmp.awaitMigration(WAIT))
                .isInstanceOf(QmpException.class)
                .hasMessageStartingWith("migration failed: Failed to connect to")
                .hasMessageContaining("nobody-listens.sock");
    }

    @Test
    void quitEndsQemuAndLaterCommandsFailClearly() {
        qmp.quit();

        assertThat(qemu.awaitExit(WAIT)).isTrue();
        assertThat(qemu.exitCode()).contains(0);
        assertThatThrownBy(qmp::queryStatus)
                .isInstanceOf(QmpException.class)
                .satisfies(e -> assertThat(((QmpException) e).connectionClosed()).isTrue());
        assertThat(qmp.isOpen()).isFalse();
        assertThat(qmp.events()).extracting(event -> event.get("event").asText()).contains("SHUTDOWN");
    }

    @Test
    void connectGivesUpWhenQemuIsDeadAndShowsItsOutput() {
        RunDirectory other = RunDirectory.create();
        try (QemuProcess broken = QemuProcess.start(List.of(QemuCommandLine.DEFAULT_BINARY, "-no-such-option"), other.qemuOutput())) {
            assertThatThrownBy(() -> QmpClient.connect(other.qmpSocket(), WAIT, broken))
                    .isInstanceOf(QmpException.class)
                    .hasMessageContaining("QEMU exited with status 1")
                    .hasMessageContaining("invalid option");
        } finally {
            other.close();
        }
    }

    @Test
    void connectTimesOutWithoutASocket() {
        assertThatThrownBy(() -> QmpClient.connect(run.path().resolve("absent.sock"), Duration.ofMillis(200)))
                .isInstanceOf(QmpException.class)
                .hasMessageContaining("cannot connect to QMP")
                .hasMessageContaining("within 200 ms");
    }
}
