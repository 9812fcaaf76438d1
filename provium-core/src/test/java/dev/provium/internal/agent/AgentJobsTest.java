package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;

import dev.provium.guest.Job;

import dev.provium.guest.JobResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Background jobs against the real agent on the host. */
@Tag("agent-protocol")
class AgentJobsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ZERO;

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentChannel channel;

    @BeforeEach
    void connect() {
        channel = hostAgent.client().agentChannel();
    }

    @Test
    void aJobRunsInTheBackgroundAndItsResultKeepsBothStreams() {
        assertThat(channel.exec("mkfifo " + hostAgent.dir().resolve("fifo"), TIMEOUT).exitCode()).isZero();
        Job job = channel.background("echo out; echo err >&2; read line < " + hostAgent.dir().resolve("fifo") + "; exit 3", TIMEOUT);

        JobResult running = channel.jobWait(job.id(), POLL, TIMEOUT);
        assertThat(running.running()).isTrue();
        assertThat(running.exitCode()).isEqualTo(-1);
        assertThat(channel.exec("echo go > " + hostAgent.dir().resolve("fifo"), TIMEOUT).exitCode()).isZero();
        JobResult done = channel.jobWait(job.id(), TIMEOUT, TIMEOUT);

        assertThat(job.pid()).isPositive();
        assertThat(done.running()).isFalse();
        assertThat(done.exitCode()).isEqualTo(3);
        assertThat(done.stdoutText()).isEqualTo("out\n");
        assertThat(done.stderrText()).isEqualTo("err\n");
    }

    @Test
    void aJobThatWritesMegabytesNeverBlocksAndKeepsAllOfIt() {
        Job job = channel.background("head -c 3000000 /dev/zero | tr '\\0' j; echo end >&2", TIMEOUT);

        JobResult done = channel.jobWait(job.id(), TIMEOUT, TIMEOUT);

        assertThat(done.exitCode()).isZero();
        assertThat(done.stdout()).hasSize(3_000_000).containsOnly('j');
        assertThat(done.stderrText()).isEqualTo("end\n");
    }

    @Test
    void killingAJobReturnsItsFinalResultAndEndsItsProcessGroup() {
        Job job = channel.background("echo started; sleep 30 & sleep 30; wait", TIMEOUT);
        awaitOutput(job, "started\n");

        JobResult killed = channel.jobKill(job.id(), TIMEOUT);

        assertThat(killed.running()).isFalse();
        assertThat(killed.exitCode()).isEqualTo(137);
        assertThat(killed.signal()).isEqualTo(9);
        assertThat(killed.stdoutText()).isEqualTo("started\n");
        assertThat(ProcessHandle.of(job.pid())).isEmpty();
    }

    @Test
    void aFinishedJobIsForgottenOnceItsResultWasCollected() {
        Job job = channel.background("true", TIMEOUT);
        assertThat(channel.jobWait(job.id(), TIMEOUT, TIMEOUT).exitCode()).isZero();

        assertThatThrownBy(() -> channel.jobWait(job.id(), POLL, TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("NOT_FOUND"))
                .hasMessageContaining("job " + job.id() + " on channel 0 has finished and its result was already collected");
        assertThatThrownBy(() -> channel.jobKill(job.id(), TIMEOUT)).hasMessageContaining("already collected");
    }

    @Test
    void unknownJobIdsAreNotFound() {
        assertThatThrownBy(() -> channel.jobWait(4242, POLL, TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("NOT_FOUND"))
                .hasMessageContaining("JOB_WAIT: no job 4242 on channel 0");
        assertThatThrownBy(() -> channel.jobKill(0, TIMEOUT)).hasMessageContaining("JOB_KILL: no job 0 on channel 0");
        assertThatThrownBy(() -> channel.jobWait(1, Duration.ofMillis(-1), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not between 0 and 2^32-1 ms");
    }

    @Test
    void uncollectedJobsAreLimitedAndKillingOneMakesRoom() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            jobs.add(channel.background("sleep 30", TIMEOUT));
        }

        assertThatThrownBy(() -> channel.background("true", TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("LIMIT"))
                .hasMessageContaining("64 jobs are unfinished or their results not collected");
        channel.jobKill(jobs.get(0).id(), TIMEOUT);
        Job another = channel.background("true", TIMEOUT);
        assertThat(another.id()).isEqualTo(65);
    }

    @Test
    void theAgentKillsItsJobsWhenItsInputEnds() throws Exception {
        Job job = channel.background("sleep 30", TIMEOUT);
        ProcessHandle sleep = ProcessHandle.of(job.pid()).orElseThrow();

        hostAgent.client().close();

        assertThat(hostAgent.agent().process.waitFor(10, TimeUnit.SECONDS)).as("agent exited").isTrue();
        assertThat(sleep.onExit()).succeedsWithin(10, TimeUnit.SECONDS);
    }

    private void awaitOutput(Job job, String expected) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!channel.jobWait(job.id(), POLL, TIMEOUT).stdoutText().equals(expected)) {
            assertThat(System.nanoTime() - deadline).as("job %d never wrote %s", job.id(), expected).isNegative();
        }
    }
}
