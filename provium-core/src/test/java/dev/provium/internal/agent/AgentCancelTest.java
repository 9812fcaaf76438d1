package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;
import dev.provium.guest.ExecResult;
import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CANCEL against the real agent on the host: requests that ran out of time end without ending the agent. */
@Tag("agent-protocol")
class AgentCancelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofSeconds(1);

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentClient client;

    @BeforeEach
    void connect() {
        client = hostAgent.client();
    }

    @Test
    void anExecWhoseWaitRunsOutIsCancelledAndItsProcessGroupKilled() throws Exception {
        Path pidFile = hostAgent.dir().resolve("pid");
        // The host waits 1 s in all, far less than the guest-side timeout: only CANCEL can end the command.
        client.setExecTimeoutMargin(Duration.ofSeconds(1).minus(Duration.ofSeconds(60)));

        ExecResult result = client.exec("echo started; sleep 1000 & echo $! > " + pidFile + "; wait",
                Duration.ofSeconds(60));
        client.setExecTimeoutMargin(AgentClient.EXEC_TIMEOUT_MARGIN);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.signal()).isEqualTo(9);
        assertThat(result.stdoutText()).isEqualTo("started\n");
        long sleep = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(sleep).ifPresent(p -> assertThat(p.onExit()).succeedsWithin(10, TimeUnit.SECONDS));
        assertConnectionWorks();
    }

    @Test
    void cancellingARunningExecAnswersItWithACancelledExit() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentCancelTest-rawExec")) {
            int exec = raw.nextId();
            raw.send(Frame.of(Protocol.EXEC, exec, new PayloadBuilder().u32(0).str("echo started; exec sleep 1000").build()));
            Frame started = raw.next(TIMEOUT);
            assertThat(started.type()).isEqualTo(Protocol.OUTPUT);

            int cancel = raw.nextId();
            raw.send(cancel(cancel, Protocol.AGENT_CHANNEL, exec));

            List<Frame> frames = raw.until(Protocol.AGENT_CHANNEL, exec, TIMEOUT);
            Frame exit = frames.get(frames.size() - 1);
            assertThat(exit.type()).isEqualTo(Protocol.EXIT);
            PayloadReader fields = new PayloadReader(exit);
            assertThat(fields.i32("exit code")).isEqualTo(137);
            assertThat(fields.u8("flags")).isEqualTo(Protocol.EXIT_CANCELLED | Protocol.EXIT_SIGNALED);
            assertThat(fields.u8("signal")).isEqualTo(9);
            assertThat(cancelStatus(raw, frames, cancel)).isEqualTo(Protocol.CANCEL_REQUESTED);
            assertPingWorks(raw);
        }
    }

    @Test
    void aReadOfAFifoThatNobodyWritesIsCancelled() throws Exception {
        Path fifo = hostAgent.dir().resolve("fifo");
        assertThat(client.exec("mkfifo " + fifo, TIMEOUT).exitCode()).isZero();

        assertThatThrownBy(() -> client.readFile(fifo.toString(), SHORT))
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isTrue())
                .hasMessage("read_file " + fifo + " timed out after 1s on agent " + client.name()
                        + "; the request was cancelled");
        assertConnectionWorks();
    }

    @Test
    void anEndlessReadIsCancelled() {
        assertThatThrownBy(() -> client.readFile("/dev/zero", OutputStream.nullOutputStream(), SHORT))
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isTrue())
                .hasMessageContaining("read_file /dev/zero timed out after 1s")
                .hasMessageContaining("the request was cancelled");
        assertConnectionWorks();
    }

    @Test
    void aWriteToAFifoThatNobodyReadsIsCancelled() throws Exception {
        Path fifo = hostAgent.dir().resolve("fifo");
        assertThat(client.exec("mkfifo " + fifo, TIMEOUT).exitCode()).isZero();

        assertThatThrownBy(() -> client.writeFile(fifo.toString(), new byte[] {1, 2, 3}, 0600, SHORT))
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isTrue())
                .hasMessage("write_file " + fifo + " timed out after 1s on agent " + client.name()
                        + "; the request was cancelled");
        assertConnectionWorks();
        client.writeFile(hostAgent.dir().resolve("after").toString(), new byte[] {4}, 0600, TIMEOUT);
        assertThat(Files.readAllBytes(hostAgent.dir().resolve("after"))).containsExactly(4);
    }

    @Test
    void aJobWaitIsCancelledAndTheJobGoesOn() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentCancelTest-jobWait")) {
            int start = raw.nextId();
            raw.send(Frame.of(Protocol.BACKGROUND, start, new PayloadBuilder().str("exec sleep 1000").build()));
            Frame started = raw.reply(Protocol.AGENT_CHANNEL, start, TIMEOUT);
            assertThat(started.type()).isEqualTo(Protocol.JOB_STARTED);
            long job = new PayloadReader(started).u32("job id");
            int wait = raw.nextId();
            raw.send(Frame.of(Protocol.JOB_WAIT, wait, new PayloadBuilder().u32(job).u32(600_000).build()));

            int cancel = raw.nextId();
            raw.send(cancel(cancel, Protocol.AGENT_CHANNEL, wait));

            List<Frame> frames = raw.until(Protocol.AGENT_CHANNEL, wait, TIMEOUT);
            assertThat(AgentClient.decodeError(frames.get(frames.size() - 1)).codeName()).isEqualTo("CANCELLED");
            int poll = raw.nextId();
            raw.send(Frame.of(Protocol.JOB_WAIT, poll, new PayloadBuilder().u32(job).u32(0).build()));
            Frame status = raw.reply(Protocol.AGENT_CHANNEL, poll, TIMEOUT);
            assertThat(status.type()).isEqualTo(Protocol.JOB_STATUS);
            assertThat(new PayloadReader(status).i32("exit code")).as("still running").isEqualTo(-1);
        }
    }

    @Test
    void aSystemCallBlockedOnChannelZeroOrInAWorkerIsInterruptedByCancel() {
        for (int channel : new int[] {Protocol.AGENT_CHANNEL, client.spawn(true, TIMEOUT).channel(),
                client.spawn(false, TIMEOUT).channel()}) {
            long[] pipe = pipe(channel);
            SyscallRequest.Builder read = SyscallRequest.syscall(AgentSyscallTest.SYS_READ).args(pipe[0], 0, 8);
            read.pointer(1, read.buffer(new byte[0], 8, true));

            assertThatThrownBy(() -> client.channel(channel).syscall(read.build(), SHORT))
                    .as("channel %d", channel)
                    .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isTrue())
                    .hasMessageContaining("timed out after 1s");
            assertThat(client.channel(channel).ping(new byte[] {5}, TIMEOUT)).containsExactly(5);
        }
        assertConnectionWorks();
    }

    @Test
    void aRequestWaitingBehindAnotherIsCancelledBeforeItIsServed() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentCancelTest-queued")) {
            int exec = raw.nextId();
            int ping = raw.nextId();
            raw.send(Frame.of(Protocol.EXEC, exec, new PayloadBuilder().u32(0).str("echo started; exec sleep 1000").build()),
                    Frame.of(Protocol.PING, ping, new byte[] {1}));
            assertThat(raw.next(TIMEOUT).type()).isEqualTo(Protocol.OUTPUT);

            int cancelPing = raw.nextId();
            int cancelExec = raw.nextId();
            raw.send(cancel(cancelPing, Protocol.AGENT_CHANNEL, ping), cancel(cancelExec, Protocol.AGENT_CHANNEL, exec));

            List<Frame> frames = raw.until(Protocol.AGENT_CHANNEL, ping, TIMEOUT);
            Frame refused = frames.get(frames.size() - 1);
            AgentErrorException error = AgentClient.decodeError(refused);
            assertThat(error.codeName()).isEqualTo("CANCELLED");
            assertThat(error.agentMessage()).isEqualTo("request " + ping + " on channel 0 was cancelled by the host"
                    + " before it was served");
            assertThat(frames).filteredOn(f -> f.requestId() == exec && f.type() == Protocol.EXIT).hasSize(1);
            assertPingWorks(raw);
        }
    }

    @Test
    void cancellingWhatIsNotInFlightIsHarmlessAndSaysSo() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentCancelTest-notPending")) {
            int answered = raw.nextId();
            raw.send(Frame.of(Protocol.PING, answered, new byte[] {1}));
            assertThat(raw.reply(Protocol.AGENT_CHANNEL, answered, TIMEOUT).type()).isEqualTo(Protocol.PONG);

            for (int[] target : new int[][] {{Protocol.AGENT_CHANNEL, answered}, {Protocol.AGENT_CHANNEL, 424242},
                    {77, 1}, {Protocol.AGENT_CHANNEL, Protocol.NO_REQUEST}}) {
                int cancel = raw.nextId();
                raw.send(cancel(cancel, target[0], target[1]));
                Frame status = raw.reply(Protocol.AGENT_CHANNEL, cancel, TIMEOUT);
                assertThat(status.type()).isEqualTo(Protocol.CANCEL_STATUS);
                assertThat(status.payload()).containsExactly(Protocol.CANCEL_NOT_PENDING);
            }
            int malformed = raw.nextId();
            raw.send(Frame.of(Protocol.CANCEL, malformed, new byte[] {1, 2, 3}));
            assertThat(AgentClient.decodeError(raw.reply(Protocol.AGENT_CHANNEL, malformed, TIMEOUT)).codeName())
                    .isEqualTo("MALFORMED");
            assertPingWorks(raw);
        }
    }

    private void assertConnectionWorks() {
        assertThat(client.ping(new byte[] {9}, TIMEOUT)).containsExactly(9);
        assertThat(client.exec("echo alive", TIMEOUT).stdoutText()).isEqualTo("alive\n");
    }

    private static void assertPingWorks(RawAgent raw) throws InterruptedException {
        int ping = raw.nextId();
        raw.send(Frame.of(Protocol.PING, ping, "after".getBytes(StandardCharsets.UTF_8)));
        Frame pong = raw.reply(Protocol.AGENT_CHANNEL, ping, TIMEOUT);
        assertThat(pong.type()).isEqualTo(Protocol.PONG);
        assertThat(pong.payload()).isEqualTo("after".getBytes(StandardCharsets.UTF_8));
    }

    /** The state in the CANCEL_STATUS answering {@code cancel}, from the frames seen or the ones still to come. */
    private static int cancelStatus(RawAgent raw, List<Frame> seen, int cancel) throws InterruptedException {
        Frame status = seen.stream().filter(f -> f.requestId() == cancel).findFirst().orElse(null);
        if (status == null) {
            status = raw.reply(Protocol.AGENT_CHANNEL, cancel, TIMEOUT);
        }
        assertThat(status.type()).isEqualTo(Protocol.CANCEL_STATUS);
        return status.payload()[0];
    }

    static Frame cancel(int id, int channel, int requestId) {
        return Frame.of(Protocol.CANCEL, id, new PayloadBuilder().u16(channel).u32(requestId & 0xFFFF_FFFFL).build());
    }

    private long[] pipe(int channel) {
        SyscallRequest.Builder pipe2 = SyscallRequest.syscall(AgentSyscallTest.SYS_PIPE2).args(0, 0);
        pipe2.pointer(0, pipe2.buffer(new byte[0], 8, true));
        SyscallResult result = client.channel(channel).syscall(pipe2.build(), TIMEOUT);
        assertThat(result.value()).isZero();
        ByteBuffer fds = ByteBuffer.wrap(result.buffer(0)).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {fds.getInt(), fds.getInt()};
    }
}
