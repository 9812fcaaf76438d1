package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;

import dev.provium.guest.ExecResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every operation against the real agent, run on the host with {@code --stdio}. */
@Tag("agent-protocol")
class AgentClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentClient client;
    /** Threads of its own: the common pool may have only one on a small machine. */
    private final ExecutorService threads = Executors.newFixedThreadPool(10);

    @BeforeEach
    void connect() {
        client = hostAgent.client();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void helloReportsTheVersionPidAndCapabilities() {
        Hello hello = client.hello(TIMEOUT);

        assertThat(hello.version()).isEqualTo(AgentClient.PROTOCOL_VERSION);
        assertThat(hello.pid()).isEqualTo(hostAgent.agent().process.pid());
        assertThat(hello.capabilities()).contains("exec", "read_file", "write_file", "shutdown", "ping", "cancel");
    }

    @Test
    void aVersionMismatchNamesBothVersions() {
        assertThatThrownBy(() -> client.hello(1, TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class,
                        e -> assertThat(e.codeName()).isEqualTo("VERSION_MISMATCH"))
                .hasMessageContaining("host speaks protocol 1, agent speaks protocol 2");
    }

    @Test
    void afterAMismatchOnlyHelloAndPingAreServedUntilTheRightHello() {
        assertThatThrownBy(() -> client.hello(7, TIMEOUT)).hasMessageContaining("7");

        assertPingWorks();
        assertThatThrownBy(() -> client.exec("true", TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class,
                        e -> assertThat(e.codeName()).isEqualTo("VERSION_MISMATCH"));
        assertThatThrownBy(() -> client.writeFile(hostAgent.dir().resolve("f").toString(), new byte[3 << 20], 0644, TIMEOUT))
                .isInstanceOf(AgentErrorException.class);

        client.hello(TIMEOUT);
        assertThat(client.exec("echo back", TIMEOUT).stdoutText()).isEqualTo("back\n");
        assertThat(hostAgent.dir().resolve("f")).doesNotExist();
    }

    @Test
    void execReturnsTheExitCodeAndBothOutputs() {
        ExecResult result = client.exec("echo out; echo err >&2; exit 3", TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdoutText()).isEqualTo("out\n");
        assertThat(result.stderrText()).isEqualTo("err\n");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.signal()).isZero();
    }

    @Test
    void execRunsWithStdinFromDevNull() {
        assertThat(client.exec("cat; echo done", TIMEOUT).stdoutText()).isEqualTo("done\n");
    }

    @Test
    void everyExitCodeComesBack() {
        for (int code = 0; code <= 255; code++) {
            assertThat(client.exec("exit " + code, TIMEOUT).exitCode()).as("exit %d", code).isEqualTo(code);
        }
    }

    @Test
    void deathBySignalIs128PlusTheSignal() {
        ExecResult result = client.exec("kill -9 $$", TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.signal()).isEqualTo(9);
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void theGuestSideTimeoutKillsTheCommand() {
        ExecResult result = client.exec("echo started; sleep 30", Duration.ofMillis(300));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.stdoutText()).isEqualTo("started\n");
        assertPingWorks();
    }

    @Test
    void theTimeoutKillsTheWholeProcessGroup() throws Exception {
        ExecResult result = client.exec("sleep 30 & echo $!; sleep 30; wait", Duration.ofMillis(300));

        assertThat(result.timedOut()).isTrue();
        long background = Long.parseLong(result.stdoutText().trim());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (isRunning(background)) {
            assertThat(System.nanoTime() - deadline).as("background sleep %d still runs", background).isNegative();
            Thread.sleep(10);
        }
    }

    /** True while the process exists and is not a zombie (which nobody may reap in a container). */
    private static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Test
    void megabytesOnBothStreamsAtOnceArriveComplete() {
        ExecResult result = client.exec(
                "head -c 5000000 /dev/zero | tr '\\0' o & head -c 5000000 /dev/zero | tr '\\0' e >&2; wait", TIMEOUT);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).hasSize(5_000_000).containsOnly('o');
        assertThat(result.stderr()).hasSize(5_000_000).containsOnly('e');
    }

    @Test
    void everyByteValueRoundTrips() {
        byte[] data = new byte[256 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        String path = hostAgent.dir().resolve("bytes").toString();

        client.writeFile(path, data, 0640, TIMEOUT);

        assertThat(client.readFile(path, TIMEOUT)).isEqualTo(data);
        assertThat(client.exec("stat -c %a " + path, TIMEOUT).stdoutText()).isEqualTo("640\n");
    }

    @Test
    void aFortyMebibyteFileRoundTrips() {
        byte[] data = new byte[40 << 20];
        new Random(40).nextBytes(data);
        String path = hostAgent.dir().resolve("big").toString();

        client.writeFile(path, data, 0600, Duration.ofSeconds(30));

        assertThat(client.exec("stat -c %s " + path, TIMEOUT).stdoutText()).isEqualTo((40 << 20) + "\n");
        byte[] back = client.readFile(path, Duration.ofSeconds(30));
        assertThat(back.length).isEqualTo(data.length);
        assertThat(Arrays.equals(back, data)).as("the 40 MiB came back unchanged").isTrue();
    }

    @Test
    void anEmptyFileRoundTrips() {
        String path = hostAgent.dir().resolve("empty").toString();

        client.writeFile(path, new byte[0], 0644, TIMEOUT);

        assertThat(hostAgent.dir().resolve("empty")).isEmptyFile();
        assertThat(client.readFile(path, TIMEOUT)).isEmpty();
    }

    @Test
    void writeFileTruncatesAnExistingFileAndKeepsItsMode() throws Exception {
        Path file = hostAgent.dir().resolve("existing");
        Files.writeString(file, "a much longer old content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        client.writeFile(file.toString(), "new".getBytes(StandardCharsets.UTF_8), 0755, TIMEOUT);

        assertThat(file).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aNewFileGetsItsModeAndRuns() {
        String script = hostAgent.dir().resolve("script").toString();

        client.writeFile(script, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), 0755, TIMEOUT);

        assertThat(client.exec(script, TIMEOUT).stdoutText()).isEqualTo("hi\n");
    }

    @Test
    void theModeOfANewFileIsExactlyTheOneAskedWhateverTheUmask() throws Exception {
        Path file = hostAgent.dir().resolve("shared");

        client.writeFile(file.toString(), new byte[1], 0666, TIMEOUT);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw-rw-");
    }

    @Test
    void filesStreamFromAPathAndIntoAStream() throws Exception {
        Path source = hostAgent.dir().resolve("source");
        byte[] data = new byte[3 * (1 << 20) + 17];
        new Random(3).nextBytes(data);
        Files.write(source, data);
        String path = hostAgent.dir().resolve("copy").toString();

        client.writeFile(path, source, 0600, TIMEOUT);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        long size = client.readFile(path, sink, TIMEOUT);

        assertThat(size).isEqualTo(data.length);
        assertThat(sink.toByteArray()).isEqualTo(data);
    }

    @Test
    void readingAMissingFileNamesThePathAndErrno() {
        String path = hostAgent.dir().resolve("nope").toString();

        assertThatThrownBy(() -> client.readFile(path, TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> {
                    assertThat(e.errno()).isEqualTo(2);
                    assertThat(e.codeName()).isEqualTo("OS_ERROR");
                })
                .hasMessageContaining(path)
                .hasMessageContaining("No such file or directory")
                .hasMessageContaining("errno 2");
        assertPingWorks();
    }

    @Test
    void writingIntoAMissingDirectoryNamesThePathAndErrno() {
        String path = hostAgent.dir().resolve("missing/file").toString();
        byte[] data = new byte[(1 << 20) * 2 + 5];

        assertThatThrownBy(() -> client.writeFile(path, data, 0644, TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> {
                    assertThat(e.errno()).isEqualTo(2);
                    assertThat(e.codeName()).isEqualTo("OS_ERROR");
                })
                .hasMessageContaining(path);
        assertPingWorks();
    }

    @Test
    void readingADirectoryFails() {
        assertThatThrownBy(() -> client.readFile(hostAgent.dir().toString(), TIMEOUT))
                .isInstanceOfSatisfying(AgentErrorException.class, e -> assertThat(e.errno()).isEqualTo(21))
                .hasMessageContaining(hostAgent.dir().toString());
    }

    @Test
    void pingEchoesItsPayload() {
        byte[] large = new byte[1 << 20];
        new Random(1).nextBytes(large);

        assertThat(client.ping(new byte[0], TIMEOUT)).isEmpty();
        assertThat(client.ping(large, TIMEOUT)).isEqualTo(large);
    }

    @Test
    void shutdownIsAcknowledgedAndTheAgentExits() throws Exception {
        client.shutdown(TIMEOUT);

        assertThat(hostAgent.agent().process.waitFor(10, TimeUnit.SECONDS)).as("agent exited").isTrue();
        assertThatThrownBy(() -> client.ping(new byte[1], TIMEOUT)).isInstanceOf(AgentDisconnectedException.class);
    }

    @Test
    void concurrentCallsGetTheirOwnReplies() throws Exception {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        calls.add(CompletableFuture.runAsync(() -> assertThat(
                client.exec("head -c 3000000 /dev/zero | tr '\\0' x", TIMEOUT).stdout()).hasSize(3_000_000), threads));
        for (int thread = 0; thread < 6; thread++) {
            int seed = thread;
            calls.add(CompletableFuture.runAsync(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 30; i++) {
                    byte[] payload = new byte[random.nextInt(5000)];
                    random.nextBytes(payload);
                    assertThat(client.ping(payload, TIMEOUT)).isEqualTo(payload);
                }
            }, threads));
        }

        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void concurrentWritesAndPingsAllComplete() throws Exception {
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers * 2);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
            byte[] data = new byte[(1 << 20) * 3 + writer];
            new Random(writer).nextBytes(data);
            Path file = hostAgent.dir().resolve("concurrent-" + writer);
            calls.add(CompletableFuture.runAsync(() -> {
                await(start);
                client.writeFile(file.toString(), data, 0600, TIMEOUT);
                assertThat(file).hasBinaryContent(data);
            }, threads));
            calls.add(CompletableFuture.runAsync(() -> {
                await(start);
                assertPingWorks();
            }, threads));
        }

        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the threads of the test did not all start", e);
        }
    }

    @Test
    void whenTheAgentDiesThePendingCallFailsAtOnceAndLaterCallsToo() throws Exception {
        CompletableFuture<ExecResult> call = CompletableFuture.supplyAsync(
                () -> client.exec("sleep 20", Duration.ofSeconds(30)), threads);
        awaitChildOfAgent();

        hostAgent.agent().kill();

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AgentDisconnectedException.class)
                .hasMessageContaining("exec `sleep 20`");
        assertThat(client.isConnected()).isFalse();
        assertThatThrownBy(() -> client.ping(new byte[0], TIMEOUT))
                .isInstanceOf(AgentDisconnectedException.class)
                .hasMessageContaining("cannot send ping");
    }

    @Test
    void closingTheClientFailsThePendingCall() throws Exception {
        CompletableFuture<ExecResult> call = CompletableFuture.supplyAsync(
                () -> client.exec("sleep 20", Duration.ofSeconds(30)), threads);
        awaitChildOfAgent();

        client.close();

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(AgentDisconnectedException.class)
                .hasMessageContaining("the client was closed");
        assertThatThrownBy(() -> client.exec("true", TIMEOUT)).isInstanceOf(AgentDisconnectedException.class);
    }

    private void awaitChildOfAgent() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (hostAgent.agent().process.children().findAny().isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("the agent started no command").isNegative();
            Thread.sleep(10);
        }
    }

    private void assertPingWorks() {
        byte[] payload = "still in step".getBytes(StandardCharsets.UTF_8);
        assertThat(client.ping(payload, TIMEOUT)).isEqualTo(payload);
    }
}
