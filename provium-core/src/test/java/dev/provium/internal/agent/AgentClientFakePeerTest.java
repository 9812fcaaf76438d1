package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;

import dev.provium.guest.ExecResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies the real agent never sends, from an in-JVM peer: how the client reports a broken or silent
 * agent. Everything the real agent does is tested against the real agent.
 */
class AgentClientFakePeerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Pipe toPeer;
    private Pipe fromPeer;
    private FrameReader peerIn;
    private FrameWriter peerOut;
    private AgentClient client;

    @BeforeEach
    void connect() throws IOException {
        toPeer = Pipe.open();
        fromPeer = Pipe.open();
        peerIn = new FrameReader(toPeer.source());
        peerOut = new FrameWriter(fromPeer.sink());
        client = AgentClient.open(fromPeer.source(), toPeer.sink(), "fake");
    }

    @AfterEach
    void disconnect() throws IOException {
        client.close();
        toPeer.source().close();
        fromPeer.sink().close();
    }

    @Test
    void noReplyInTimeIsATimeoutThatCancelsTheRequest() throws Exception {
        client.setCancelGrace(Duration.ofMillis(100));

        assertThatThrownBy(() -> client.ping(new byte[0], Duration.ofMillis(200)))
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isFalse())
                .hasMessage("ping timed out after 200ms on agent fake; the request was cancelled, but the agent"
                        + " did not end it within 100ms (its channel may stay busy)");
        Frame ping = peerIn.read();
        assertCancels(peerIn.read(), ping);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aTimedOutRequestThatTheAgentEndsOnCancelLeavesTheChannelFree() throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(
                () -> client.readFile("/dev/zero", Duration.ofMillis(200)));
        Frame request = peerIn.read();
        Frame cancel = peerIn.read();
        assertCancels(cancel, request);
        peerOut.write(Frame.of(Protocol.CANCEL_STATUS, cancel.requestId(), new byte[] {Protocol.CANCEL_REQUESTED}));
        peerOut.write(Frame.of(Protocol.ERROR, request.requestId(), new PayloadBuilder()
                .u16(Protocol.CANCELLED).i32(0).str("READ_FILE was cancelled by the host").build()));

        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isTrue())
                .hasMessage("read_file /dev/zero timed out after 200ms on agent fake; the request was cancelled");
    }

    @Test
    void anExecWhoseWaitRunsOutIsCancelledAndReportedAsTimedOut() throws Exception {
        client.setExecTimeoutMargin(Duration.ofMillis(100));
        CompletableFuture<ExecResult> exec = CompletableFuture.supplyAsync(
                () -> client.exec("sleep 1000", Duration.ofMillis(200)));
        Frame request = peerIn.read();
        peerOut.write(Frame.of(Protocol.OUTPUT, request.requestId(), new byte[] {Protocol.STDOUT, 'h', 'i'}));
        assertCancels(peerIn.read(), request);
        peerOut.write(Frame.of(Protocol.EXIT, request.requestId(), new PayloadBuilder()
                .i32(137).u8(Protocol.EXIT_CANCELLED | Protocol.EXIT_SIGNALED).u8(9).build()));

        ExecResult result = exec.get(10, TimeUnit.SECONDS);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.signal()).isEqualTo(9);
        assertThat(result.stdoutText()).isEqualTo("hi");
    }

    @Test
    void anExecThatTheAgentDoesNotEndOnCancelIsATimeout() throws Exception {
        client.setExecTimeoutMargin(Duration.ofMillis(100));
        client.setCancelGrace(Duration.ofMillis(100));

        assertThatThrownBy(() -> client.exec("sleep 1000", Duration.ofMillis(200)))
                .isInstanceOfSatisfying(AgentTimeoutException.class, e -> assertThat(e.requestEnded()).isFalse())
                .hasMessage("exec `sleep 1000` timed out after 300ms (guest-side timeout 200ms + 100ms margin) on agent"
                        + " fake; the request was cancelled, but the agent did not end it within 100ms (its channel"
                        + " may stay busy)");
        Frame request = peerIn.read();
        assertCancels(peerIn.read(), request);
    }

    private static void assertCancels(Frame cancel, Frame request) {
        assertThat(cancel.type()).isEqualTo(Protocol.CANCEL);
        PayloadReader fields = new PayloadReader(cancel);
        assertThat(fields.u16("channel")).isEqualTo(request.channel());
        assertThat((int) fields.u32("request id")).isEqualTo(request.requestId());
        fields.end();
    }

    @Test
    void aMalformedReplyFailsTheCall() throws Exception {
        CompletableFuture<Hello> hello = CompletableFuture.supplyAsync(() -> client.hello(TIMEOUT));
        Frame request = peerIn.read();
        peerOut.write(Frame.of(Protocol.HELLO_OK, request.requestId(), new PayloadBuilder().u32(1).build()));

        assertThatThrownBy(() -> hello.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(AgentException.class)
                .hasMessage("malformed HELLO_OK payload: u32 field 'pid' at offset 4 needs 4 bytes but only 0 are left");
    }

    @Test
    void aReplyOfTheWrongTypeFailsTheCall() throws Exception {
        CompletableFuture<byte[]> ping = CompletableFuture.supplyAsync(() -> client.ping(new byte[0], TIMEOUT));
        Frame request = peerIn.read();
        peerOut.write(Frame.of(Protocol.DONE, request.requestId(), new PayloadBuilder().u64(0).build()));

        assertThatThrownBy(() -> ping.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(AgentException.class)
                .hasMessageStartingWith("agent fake answered ping with DONE(")
                .hasMessageEndingWith(" instead of PONG");
    }

    @Test
    void anErrorReplyCarriesTheAgentsMessageCodeAndErrno() throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> client.readFile("/nope", TIMEOUT));
        Frame request = peerIn.read();
        peerOut.write(Frame.of(Protocol.ERROR, request.requestId(), new PayloadBuilder()
                .u16(Protocol.OS_ERROR).i32(2).str("read_file /nope: No such file or directory").build()));

        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(AgentErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(Protocol.OS_ERROR);
                    assertThat(e.codeName()).isEqualTo("OS_ERROR");
                    assertThat(e.errno()).isEqualTo(2);
                    assertThat(e.agentMessage()).isEqualTo("read_file /nope: No such file or directory");
                })
                .hasMessage("read_file /nope: No such file or directory (errno 2, OS_ERROR)");
    }

    @Test
    void aReadFileWhoseTotalDisagreesWithItsDataFails() throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> client.readFile("/f", TIMEOUT));
        Frame request = peerIn.read();
        peerOut.write(new Frame(Protocol.DATA_REPLY, Protocol.FLAG_MORE, 0, request.requestId(), new byte[3]));
        peerOut.write(Frame.of(Protocol.DONE, request.requestId(), new PayloadBuilder().u64(5).build()));

        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                .cause()
                .hasMessage("agent fake says it read 5 bytes of /f but sent 3");
    }

    @Test
    void theStreamEndingFailsThePendingCallAndLaterOnes() throws Exception {
        CompletableFuture<byte[]> ping = CompletableFuture.supplyAsync(() -> client.ping(new byte[0], TIMEOUT));
        peerIn.read();
        fromPeer.sink().close();

        assertThatThrownBy(() -> ping.get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(AgentDisconnectedException.class)
                .hasMessage("agent fake disconnected while waiting for a reply to ping: the agent closed the stream");
        assertThatThrownBy(() -> client.exec("true", TIMEOUT))
                .isInstanceOf(AgentDisconnectedException.class)
                .hasMessage("agent fake is disconnected (the agent closed the stream); cannot send exec `true`");
    }

    @Test
    void unsolicitedErrorsAreKeptForTheCaller() throws IOException {
        peerOut.write(Frame.of(Protocol.ERROR, Protocol.NO_REQUEST, new PayloadBuilder()
                .u16(Protocol.BAD_FRAME).i32(0).str("skipped 12 bytes").build()));

        AgentErrorException error = client.nextUnsolicitedError(TIMEOUT);

        assertThat(error).hasMessage("skipped 12 bytes (BAD_FRAME)");
        assertThatThrownBy(() -> client.nextUnsolicitedError(Duration.ofMillis(50)))
                .isInstanceOf(AgentTimeoutException.class)
                .hasMessage("agent fake sent no ERROR with request id 0 within 50ms");
    }

    @Test
    void outOfRangeArgumentsAreRejectedBeforeSending() {
        assertThatThrownBy(() -> client.exec("true", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exec timeout PT0S is not between 1 ms and 2^32-1 ms");
        assertThatThrownBy(() -> client.writeFile("/f", new byte[0], 010000, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file mode 010000 for /f is not a set of permission bits (0 to 07777)");
    }
}
