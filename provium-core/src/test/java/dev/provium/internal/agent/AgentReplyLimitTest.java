package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reply without end fails its call at the in-memory limit instead of exhausting the test JVM. */
@Tag("agent-protocol")
class AgentReplyLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    @Test
    void readingAnEndlessFileStopsAtTheLimit() {
        assertThatThrownBy(() -> hostAgent.client().readFile("/dev/zero", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("read_file /dev/zero passed 256 MiB");
    }

    @Test
    void aCommandWritingWithoutEndStopsAtTheLimit() {
        assertThatThrownBy(() -> hostAgent.client().exec("yes", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("stdout of exec `yes` passed 256 MiB");
    }
}
