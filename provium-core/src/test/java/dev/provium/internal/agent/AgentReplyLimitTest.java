package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reply without end fails its call at the in-memory limit instead of exhausting the test JVM. */
@Tag("agent-protocol")
class AgentReplyLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long LIMIT = 8L << 20;

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    @Test
    void readingAnEndlessFileStopsAtTheLimit() {
        hostAgent.client().replyLimit(LIMIT);
        assertThatThrownBy(() -> hostAgent.client().readFile("/dev/zero", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("read_file /dev/zero passed 8 MiB, the reply limit")
                .hasMessageContaining("-Dprovium.reply_limit=");
    }

    @Test
    void aCommandWritingWithoutEndStopsAtTheLimit() {
        hostAgent.client().replyLimit(LIMIT);
        assertThatThrownBy(() -> hostAgent.client().exec("yes", TIMEOUT))
                .isInstanceOf(AgentOverflowException.class)
                .hasMessageContaining("stdout of exec `yes` passed 8 MiB, the reply limit")
                .hasMessageContaining("reply_limit in [provium]");
    }

    @Test
    void aReplyUpToTheLimitIsWhole() {
        hostAgent.client().replyLimit(LIMIT);
        assertThat(hostAgent.client().exec("head -c 8388608 /dev/zero", TIMEOUT).stdout()).hasSize((int) LIMIT);
    }

    @Test
    void theDefaultLimitFollowsTheHeap() {
        long expected = Runtime.getRuntime().maxMemory() / 8 >> 20 << 20;
        assertThat(ReplyBuffer.defaultLimit()).isEqualTo(Math.max(1L << 20, Math.min(2047L << 20, expected)));
        assertThat(hostAgent.client().replyLimit()).isEqualTo(ReplyBuffer.defaultLimit());
    }
}
