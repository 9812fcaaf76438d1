package dev.provium.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reply without end fails its call at the in-memory limit instead of exhausting the test JVM. */
class AgentReplyLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private AgentProcess agent;

    @BeforeEach
    void startAgent() {
        agent = AgentProcess.start(dir, "AgentReplyLimitTest");
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        agent.stop();
    }

    @Test
    void readingAnEndlessFileStopsAtTheLimit() {
        assertThatThrownBy(() -> agent.client.readFile("/dev/zero", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("read_file /dev/zero passed 256 MiB");
    }

    @Test
    void aCommandWritingWithoutEndStopsAtTheLimit() {
        assertThatThrownBy(() -> agent.client.exec("yes", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("stdout of exec `yes` passed 256 MiB");
    }
}
