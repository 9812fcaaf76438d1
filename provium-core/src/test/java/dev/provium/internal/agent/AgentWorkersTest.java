package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;

import dev.provium.guest.Job;

import dev.provium.guest.SyscallRequest;

import dev.provium.guest.SyscallResult;

import dev.provium.guest.ExecResult;

import static dev.provium.internal.agent.AgentSyscallTest.SYS_CLOSE;
import static dev.provium.internal.agent.AgentSyscallTest.SYS_GETPID;
import static dev.provium.internal.agent.AgentSyscallTest.SYS_GETTID;
import static dev.provium.internal.agent.AgentSyscallTest.SYS_OPENAT;
import static dev.provium.internal.agent.AgentSyscallTest.SYS_READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workers (SPAWN, KILL_WORKER, their channels) against the real agent on the host. */
@Tag("agent-protocol")
class AgentWorkersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long SYS_PIPE2 = 293;
    private static final long SYS_GETUID = 102;
    private static final long SYS_SETUID = 105;
    private static final long SYS_FCNTL = 72;
    private static final long SYS_EXIT = 60;
    private static final long SYS_POLL = 7;
    private static final long F_GETFD = 1;
    private static final long NOBODY = 65534;

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentClient client;

    @BeforeEach
    void connect() {
        client = hostAgent.client();
    }

    @Test
    void forkedWorkersHaveTheirOwnPidsAndChannels() {
        List<WorkerInfo> workers = List.of(spawn(false), spawn(false), spawn(false));

        assertThat(workers).extracting(WorkerInfo::channel).doesNotHaveDuplicates().doesNotContain(0);
        assertThat(workers).extracting(WorkerInfo::pid).doesNotHaveDuplicates().doesNotContain(hostAgent.agent().process.pid());
        for (WorkerInfo worker : workers) {
            assertThat(call(worker.channel(), SYS_GETPID)).isEqualTo(worker.pid());
            assertThat(client.channel(worker.channel()).exec("echo $PPID", TIMEOUT).stdoutText().trim())
                    .isEqualTo(Long.toString(worker.pid()));
        }
    }

    @Test
    void aThreadWorkerSharesThePidButNotTheThread() {
        WorkerInfo worker = spawn(true);

        assertThat(worker.pid()).isEqualTo(hostAgent.agent().process.pid());
        assertThat(call(worker.channel(), SYS_GETPID)).isEqualTo(hostAgent.agent().process.pid());
        assertThat(call(worker.channel(), SYS_GETTID)).isEqualTo(worker.tid()).isNotEqualTo(call(0, SYS_GETTID));
    }

    @Test
    void aThreadWorkerReadsADescriptorTheAgentOpened() throws Exception {
        Files.writeString(hostAgent.dir().resolve("shared"), "shared bytes");
        WorkerInfo worker = spawn(true);
        long fd = openat(0, hostAgent.dir().resolve("shared"));

        SyscallRequest.Builder read = SyscallRequest.syscall(SYS_READ).args(fd, 0, 64);
        read.pointer(1, read.buffer(new byte[0], 64, true));
        SyscallResult result = client.channel(worker.channel()).syscall(read.build(), TIMEOUT);

        assertThat(result.value()).isEqualTo(12);
        assertThat(new String(result.buffer(0), 0, 12, StandardCharsets.UTF_8)).isEqualTo("shared bytes");
    }

    @Test
    void aForkedWorkerHasTheDescriptorsOpenedBeforeTheForkOnly() throws Exception {
        Files.writeString(hostAgent.dir().resolve("file"), "x");
        long before = openat(0, hostAgent.dir().resolve("file"));
        WorkerInfo worker = spawn(false);
        long after = openat(0, hostAgent.dir().resolve("file"));

        assertThat(call(worker.channel(), SYS_FCNTL, before, F_GETFD)).isNotNegative();
        assertThat(call(worker.channel(), SYS_FCNTL, after, F_GETFD)).isEqualTo(-AgentSyscallTest.EBADF);
        assertThat(call(0, SYS_FCNTL, after, F_GETFD)).isNotNegative();
    }

    @Test
    void aLongCommandOnChannelZeroDoesNotHoldUpAWorker() throws Exception {
        WorkerInfo worker = spawn(false);
        Path release = hostAgent.dir().resolve("release");
        CompletableFuture<ExecResult> slow = CompletableFuture.supplyAsync(
                () -> client.exec("while [ ! -e " + release + " ]; do sleep 0.05; done; echo released", TIMEOUT));

        assertThat(client.channel(worker.channel()).exec("touch " + release + "; echo worker", TIMEOUT).stdoutText())
                .isEqualTo("worker\n");
        assertThat(slow.get(10, TimeUnit.SECONDS).stdoutText()).isEqualTo("released\n");
    }

    @Test
    void aWorkerBlockedInASystemCallDoesNotHoldUpTheAgentAndKillingItInterruptsTheCall() throws Exception {
        for (boolean thread : new boolean[] {false, true}) {
            WorkerInfo worker = spawn(thread);
            long[] pipe = pipe(worker.channel());
            SyscallRequest.Builder read = SyscallRequest.syscall(SYS_READ).args(pipe[0], 0, 8);
            read.pointer(1, read.buffer(new byte[0], 8, true));
            CompletableFuture<SyscallResult> blocked = CompletableFuture.supplyAsync(
                    () -> client.channel(worker.channel()).syscall(read.build(), TIMEOUT));

            awaitBlockedInRead(worker, pipe[0]);
            assertThat(client.ping(new byte[] {1}, TIMEOUT)).containsExactly(1);
            assertThat(blocked).isNotDone();
            client.killWorker(worker.channel(), TIMEOUT);

            assertThat(blocked.get(10, TimeUnit.SECONDS).value()).as("read interrupted (thread: %s)", thread)
                    .isEqualTo(-4);
            assertThatThrownBy(() -> client.channel(worker.channel()).ping(new byte[0], TIMEOUT))
                    .isInstanceOfSatisfying(AgentErrorException.class,
                            e -> assertThat(e.codeName()).isEqualTo("UNKNOWN_CHANNEL"))
                    .hasMessageContaining("no server on channel " + worker.channel());
            call(0, SYS_CLOSE, pipe[0]);
            call(0, SYS_CLOSE, pipe[1]);
        }
    }

    @Test
    void killingAWorkerEndsItsProcessAndItsJobs() throws Exception {
        WorkerInfo worker = spawn(false);
        Job job = client.channel(worker.channel()).background("sleep 30", TIMEOUT);
        ProcessHandle process = ProcessHandle.of(worker.pid()).orElseThrow();
        ProcessHandle sleep = ProcessHandle.of(job.pid()).orElseThrow();

        client.killWorker(worker.channel(), TIMEOUT);

        assertThat(process.isAlive()).isFalse();
        assertThat(sleep.onExit()).succeedsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void unknownWorkersAreNotFound() {
        WorkerInfo worker = spawn(true);
        client.killWorker(worker.channel(), TIMEOUT);

        assertThatThrownBy(() -> client.killWorker(worker.channel(), TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("NOT_FOUND"))
                .hasMessageContaining("KILL_WORKER: no worker on channel " + worker.channel());
        assertThatThrownBy(() -> client.killWorker(0, TIMEOUT)).hasMessageContaining("channel 0 is the agent itself");
        assertThatThrownBy(() -> client.killWorker(4242, TIMEOUT))
                .hasMessageContaining("no worker on channel 4242: none was spawned on it");
    }

    @Test
    void aForkedWorkerThatEndsByItselfIsReapedAndItsChannelIsGone() throws Exception {
        WorkerInfo worker = spawn(false);

        assertThatThrownBy(() -> call(worker.channel(), SYS_EXIT, 0))
                .isInstanceOfSatisfying(AgentErrorException.class,
                        e -> assertThat(e.codeName()).isEqualTo("UNKNOWN_CHANNEL"))
                .hasMessageContaining("the worker on channel " + worker.channel() + " ended before it answered request");
        awaitReaped(worker.pid());
        assertThatThrownBy(() -> client.killWorker(worker.channel(), TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("NOT_FOUND"))
                .hasMessageContaining("KILL_WORKER: no worker on channel " + worker.channel() + ": it has ended");
        assertThat(client.ping(new byte[] {1}, TIMEOUT)).containsExactly(1);
    }

    @Test
    void aThreadWorkerThatEndsItsThreadIsNoticedAtOnce() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentWorkersTest-threadExits")) {
            int channel = spawnRaw(raw, true).channel();

            assertWorkerEndingAnswersItsRequests(raw, channel);
            int later = raw.nextId();
            raw.send(new Frame(Protocol.PING, 0, channel, later, new byte[] {8}));
            assertThat(AgentClient.decodeError(raw.reply(channel, later, TIMEOUT)).agentMessage())
                    .startsWith("no server on channel " + channel);
            int kill = raw.nextId();
            raw.send(Frame.of(Protocol.KILL_WORKER, kill, new PayloadBuilder().u16(channel).build()));
            assertThat(AgentClient.decodeError(raw.reply(Protocol.AGENT_CHANNEL, kill, TIMEOUT)).codeName())
                    .isEqualTo("NOT_FOUND");
            int alive = raw.nextId();
            raw.send(Frame.of(Protocol.PING, alive, new byte[] {9}));
            assertThat(raw.reply(Protocol.AGENT_CHANNEL, alive, TIMEOUT).type()).isEqualTo(Protocol.PONG);
        }
    }

    @Test
    void theAgentsServerThreadEndingEndsTheAgentWithAnAnswerInsteadOfHanging() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentWorkersTest-channelZeroExits")) {
            int exit = raw.nextId();
            raw.send(Frame.of(Protocol.SYSCALL, exit, AgentChannel.payload(SyscallRequest.syscall(SYS_EXIT).args(60).build())));

            AgentErrorException error = AgentClient.decodeError(raw.reply(Protocol.AGENT_CHANNEL, exit, TIMEOUT));
            assertThat(error.codeName()).isEqualTo("UNKNOWN_CHANNEL");
            assertThat(error.agentMessage()).isEqualTo("the agent's server thread on channel 0 ended before it"
                    + " answered request " + exit + ": the agent ends");
            Process agent = raw.process().process;
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).as("the agent ended").isTrue();
            assertThat(agent.exitValue()).isEqualTo(1);
            assertThat(raw.process().logText())
                    .contains("the agent's server thread (channel 0) ended by itself; the agent ends");
        }
    }

    @Test
    void everyRequestAWorkerLeftUnansweredWhenItEndedGetsUnknownChannel() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentWorkersTest-everyRequestUnanswered")) {
            assertWorkerEndingAnswersItsRequests(raw, spawnRaw(raw).channel());
        }
    }

    /**
     * The worker on {@code channel} ends its thread (exit) with a PING queued behind: both requests get
     * UNKNOWN_CHANNEL saying the worker ended before it answered them.
     */
    private static void assertWorkerEndingAnswersItsRequests(RawAgent raw, int channel) throws InterruptedException {
        int exit = raw.nextId();
        int ping = raw.nextId();

        raw.send(new Frame(Protocol.SYSCALL, 0, channel, exit, AgentChannel.payload(SyscallRequest.syscall(SYS_EXIT).args(0).build())),
                new Frame(Protocol.PING, 0, channel, ping, new byte[] {7}));

        List<Frame> frames = raw.until(channel, ping, TIMEOUT);
        assertThat(frames).extracting(Frame::requestId).containsExactly(exit, ping);
        for (Frame frame : frames) {
            AgentErrorException error = AgentClient.decodeError(frame);
            assertThat(error.codeName()).isEqualTo("UNKNOWN_CHANNEL");
            assertThat(error.agentMessage()).isEqualTo("the worker on channel " + channel
                    + " ended before it answered request " + frame.requestId());
        }
    }

    @Test
    void aWorkerThatEndsWithEveryRequestAnsweredLeavesNothingToAnswer() throws Exception {
        try (RawAgent raw = new RawAgent(hostAgent.dir(), "AgentWorkersTest-nothingToAnswer")) {
            WorkerInfo worker = spawnRaw(raw);
            int ping = raw.nextId();
            raw.send(new Frame(Protocol.PING, 0, worker.channel(), ping, new byte[] {1}));
            assertThat(raw.reply(worker.channel(), ping, TIMEOUT).type()).isEqualTo(Protocol.PONG);
            // It tells the router of its answer after sending it, then polls for its next request (or a CANCEL).
            awaitSyscall(worker, SYS_POLL + " ", "waiting for its next request");

            ProcessHandle.of(worker.pid()).orElseThrow().destroyForcibly();
            awaitDead(worker.pid());
            // The router notices the hang-up before it reads this request, so anything it says about the
            // worker's end comes first.
            int probe = raw.nextId();
            raw.send(new Frame(Protocol.PING, 0, worker.channel(), probe, new byte[] {2}));

            List<Frame> frames = raw.until(worker.channel(), probe, TIMEOUT);
            assertThat(frames).extracting(Frame::requestId).containsExactly(probe);
            assertThat(AgentClient.decodeError(frames.get(0)).agentMessage())
                    .startsWith("no server on channel " + worker.channel());
        }
    }

    @Test
    void workersServeEverythingButSpawnKillWorkerAndShutdown() throws Exception {
        WorkerInfo worker = spawn(false);
        AgentChannel channel = client.channel(worker.channel());
        String file = hostAgent.dir().resolve("from-worker").toString();

        channel.writeFile(file, "written".getBytes(StandardCharsets.UTF_8), 0600, TIMEOUT);
        assertThat(new String(channel.readFile(file, TIMEOUT), StandardCharsets.UTF_8)).isEqualTo("written");
        for (int type : new int[] {Protocol.SPAWN, Protocol.KILL_WORKER, Protocol.SHUTDOWN}) {
            byte[] payload = type == Protocol.SPAWN ? new byte[1] : type == Protocol.KILL_WORKER ? new byte[2] : new byte[0];
            List<Frame> replies = client.exchange(new Frame(type, 0, worker.channel(), client.nextRequestId(), payload),
                    TIMEOUT);
            AgentErrorException error = AgentClient.decodeError(replies.get(0));
            assertThat(error.codeName()).isEqualTo("UNEXPECTED");
            assertThat(error.agentMessage()).contains("is served on channel 0 only");
        }
    }

    @Test
    void workersAreLimited() {
        for (int i = 0; i < 32; i++) {
            spawn(true);
        }

        assertThatThrownBy(() -> spawn(true))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.codeName()).isEqualTo("LIMIT"))
                .hasMessageContaining("32 workers are running");
    }

    @Test
    void setuidInAWorkerLeavesTheAgentsUidAlone() {
        assumeThat(call(0, SYS_GETUID)).as("only root can setuid").isZero();
        for (boolean thread : new boolean[] {false, true}) {
            WorkerInfo worker = spawn(thread);

            assertThat(call(worker.channel(), SYS_SETUID, NOBODY)).isZero();

            assertThat(call(worker.channel(), SYS_GETUID)).isEqualTo(NOBODY);
            assertThat(client.channel(worker.channel()).exec("id -u", TIMEOUT).stdoutText()).isEqualTo(NOBODY + "\n");
            assertThat(call(0, SYS_GETUID)).isZero();
            assertThat(client.exec("id -u", TIMEOUT).stdoutText()).isEqualTo("0\n");
            client.killWorker(worker.channel(), TIMEOUT);
        }
    }

    @Test
    void forkedWorkersEndWithTheAgent() throws Exception {
        WorkerInfo worker = spawn(false);
        ProcessHandle process = ProcessHandle.of(worker.pid()).orElseThrow();

        client.close();

        assertThat(hostAgent.agent().process.waitFor(10, TimeUnit.SECONDS)).as("agent exited").isTrue();
        assertThat(process.onExit()).succeedsWithin(10, TimeUnit.SECONDS);
    }

    /** Waits until /proc says the worker's thread sits in read(fd, ...). */
    private static void awaitBlockedInRead(WorkerInfo worker, long fd) throws Exception {
        awaitSyscall(worker, "0 0x" + Long.toHexString(fd) + " ", "blocked in read(" + fd + ")");
    }

    /** Waits until the worker's thread sits in a system call whose /proc line starts with {@code prefix}. */
    private static void awaitSyscall(WorkerInfo worker, String prefix, String what) throws Exception {
        Path syscall = Path.of("/proc", Long.toString(worker.pid()), "task", Long.toString(worker.tid()), "syscall");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.readString(syscall).startsWith(prefix)) {
            assertThat(System.nanoTime() - deadline).as("worker %s never %s", worker, what).isNegative();
            Thread.sleep(10);
        }
    }

    /** Waits until the process is gone from /proc: reaped, not a zombie. */
    private static void awaitReaped(long pid) throws Exception {
        Path proc = Path.of("/proc", Long.toString(pid));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Files.exists(proc)) {
            assertThat(System.nanoTime() - deadline).as("process %d was never reaped (%s)", pid, state(pid)).isNegative();
            Thread.sleep(10);
        }
    }

    /** Waits until the process has exited: a zombie, or reaped. */
    private static void awaitDead(long pid) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (String state = state(pid); !state.equals("Z") && !state.equals("gone"); state = state(pid)) {
            assertThat(System.nanoTime() - deadline).as("process %d never exited (%s)", pid, state).isNegative();
            Thread.sleep(10);
        }
    }

    /** The state letter of /proc/PID/stat, or "gone". */
    private static String state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    private static WorkerInfo spawnRaw(RawAgent raw) throws InterruptedException {
        return spawnRaw(raw, false);
    }

    private static WorkerInfo spawnRaw(RawAgent raw, boolean thread) throws InterruptedException {
        int id = raw.nextId();
        raw.send(Frame.of(Protocol.SPAWN, id, new byte[] {(byte) (thread ? 1 : 0)}));
        Frame spawned = raw.reply(Protocol.AGENT_CHANNEL, id, TIMEOUT);
        assertThat(spawned.type()).isEqualTo(Protocol.SPAWNED);
        PayloadReader fields = new PayloadReader(spawned);
        int channel = fields.u16("channel");
        long pid = fields.u32("pid");
        long tid = fields.u32("tid");
        fields.end();
        return new WorkerInfo(channel, pid, tid, thread);
    }

    private WorkerInfo spawn(boolean thread) {
        WorkerInfo worker = client.spawn(thread, TIMEOUT);
        assertThat(worker.thread()).isEqualTo(thread);
        return worker;
    }

    private long call(int channel, long number, long... args) {
        return client.channel(channel).syscall(SyscallRequest.syscall(number).args(args).build(), TIMEOUT).value();
    }

    private long openat(int channel, Path file) {
        SyscallRequest.Builder openat = SyscallRequest.syscall(SYS_OPENAT).args(AgentSyscallTest.AT_FDCWD, 0, 0, 0);
        byte[] path = (file + "\0").getBytes(StandardCharsets.UTF_8);
        openat.pointer(1, openat.buffer(path, path.length, false));
        long fd = client.channel(channel).syscall(openat.build(), TIMEOUT).value();
        assertThat(fd).isNotNegative();
        return fd;
    }

    private long[] pipe(int channel) {
        SyscallRequest.Builder pipe2 = SyscallRequest.syscall(SYS_PIPE2).args(0, 0);
        pipe2.pointer(0, pipe2.buffer(new byte[0], 8, true));
        SyscallResult result = client.channel(channel).syscall(pipe2.build(), TIMEOUT);
        assertThat(result.value()).isZero();
        java.nio.ByteBuffer fds = java.nio.ByteBuffer.wrap(result.buffer(0)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return new long[] {fds.getInt(), fds.getInt()};
    }
}
