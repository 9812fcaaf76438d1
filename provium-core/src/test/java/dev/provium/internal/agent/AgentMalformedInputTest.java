package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bytes no well-behaved host sends: each gets an ERROR, and the next valid request is served. */
@Tag("agent-protocol")
class AgentMalformedInputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String FUZZ_FRAMES_PROPERTY = "provium.fuzz.frames";
    static final String FUZZ_SECONDS_PROPERTY = "provium.fuzz.seconds";
    private static final int FUZZ_CHECK_EVERY = 10_000;

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentClient client;

    @BeforeEach
    void connect() {
        client = hostAgent.client();
        client.hello(TIMEOUT);
    }

    @Test
    void aTruncatedHeaderIsDroppedAfterSilence() {
        client.sendRaw(Arrays.copyOf(FrameWriter.encode(ping(1, "lost")), 10));

        assertThat(client.nextUnsolicitedError(TIMEOUT).codeName()).isEqualTo("TRUNCATED");
        assertPingWorks();
    }

    @Test
    void aTruncatedPayloadIsDroppedAfterSilenceAndItsRequestAnswered() {
        int id = client.nextRequestId();
        byte[] partial = Arrays.copyOf(FrameWriter.encode(Frame.of(Protocol.PING, id, new byte[100])), 50);

        assertRefused(client.exchangeRaw(partial, 0, id, TIMEOUT), "TRUNCATED");
        assertPingWorks();
    }

    @Test
    void aTruncatedHeaderFollowedByAFrameIsSkippedAsGarbage() {
        client.sendRaw(Arrays.copyOf(FrameWriter.encode(ping(1, "lost")), 10));

        assertPingWorks();
        assertThat(client.nextUnsolicitedError(TIMEOUT).codeName()).isEqualTo("BAD_FRAME");
    }

    @Test
    void anOversizedLengthIsRefusedForItsRequest() {
        int id = client.nextRequestId();
        byte[] header = FrameCodecTest.header(Protocol.PING, id, Protocol.MAX_PAYLOAD + 1);

        assertRefused(client.exchangeRaw(header, 0, id, TIMEOUT), "TOO_LARGE");
        assertPingWorks();
    }

    @Test
    void anUnknownTypeIsRefused() {
        assertRefused(Frame.of(0x42, client.nextRequestId(), "x".getBytes()), "UNKNOWN_TYPE");
        assertRefused(Frame.of(Protocol.PONG, client.nextRequestId(), new byte[0]), "UNKNOWN_TYPE");
        assertPingWorks();
    }

    @Test
    void malformedPayloadsAreRefused() {
        assertRefused(Frame.of(Protocol.HELLO, client.nextRequestId(), new byte[3]), "MALFORMED");
        assertRefused(Frame.of(Protocol.HELLO, client.nextRequestId(), new byte[5]), "MALFORMED");
        assertRefused(Frame.of(Protocol.EXEC, client.nextRequestId(),
                new PayloadBuilder().u32(1000).u32(50).rest("true".getBytes()).build()), "MALFORMED");
        assertRefused(Frame.of(Protocol.READ_FILE, client.nextRequestId(),
                new PayloadBuilder().str("/etc/hostname").u8(0).build()), "MALFORMED");
        assertRefused(Frame.of(Protocol.SHUTDOWN, client.nextRequestId(), new byte[1]), "MALFORMED");
        assertRefused(Frame.of(Protocol.WRITE_FILE, client.nextRequestId(), new byte[2]), "MALFORMED");

        assertPingWorks();
        assertThat(hostAgent.agent().process.isAlive()).isTrue();
    }

    @Test
    void dataWithNoWriteFileIsUnexpected() {
        assertRefused(Frame.of(Protocol.DATA, client.nextRequestId(), "stray".getBytes()), "UNEXPECTED");
        assertPingWorks();
    }

    @Test
    void aRequestForAnUnknownChannelIsRefused() {
        assertRefused(new Frame(Protocol.PING, 0, 7, client.nextRequestId(), new byte[0]), "UNKNOWN_CHANNEL");
        assertPingWorks();
    }

    @Test
    void randomGarbageIsSkipped() {
        byte[] garbage = new byte[10_000];
        new Random(10).nextBytes(garbage);

        client.sendRaw(garbage);

        assertPingWorks();
        assertThat(client.nextUnsolicitedError(TIMEOUT).codeName()).isEqualTo("BAD_FRAME");
    }

    /**
     * Seeded fuzz: {@value #FUZZ_FRAMES_PROPERTY} items (default 5000) for at most
     * {@value #FUZZ_SECONDS_PROPERTY} seconds (default 2, 0: no limit); {@code -Pstress} sends 100,000.
     * Every {@value #FUZZ_CHECK_EVERY} items, and at the end, the agent must still answer.
     */
    @Test
    void fuzz() {
        long seed = Long.getLong("provium.fuzz.seed", System.nanoTime());
        int frames = Integer.getInteger(FUZZ_FRAMES_PROPERTY, 5000);
        long seconds = Long.getLong(FUZZ_SECONDS_PROPERTY, 2);
        System.out.println("AgentMalformedInputTest.fuzz seed " + seed + " (repeat with -Dprovium.fuzz.seed=" + seed
                + "), up to " + frames + " items" + (seconds > 0 ? " or " + seconds + " s" : ""));
        FrameFuzzer fuzzer = new FrameFuzzer(new Random(seed));
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int items = 0;
        long bytes = 0;
        for (; items < frames && (seconds == 0 || System.nanoTime() < end); items++) {
            byte[] next = fuzzer.next();
            client.sendRaw(next);
            bytes += next.length;
            if (items > 0 && items % FUZZ_CHECK_EVERY == 0) {
                assertPingWorksOnceTheAgentGaveUpOnAPartialFrame();
            }
        }
        System.out.println("fuzz sent " + items + " items, " + bytes + " bytes");

        assertPingWorksOnceTheAgentGaveUpOnAPartialFrame();
        assertThat(hostAgent.agent().process.isAlive()).as("agent alive after the fuzz (seed %d)", seed).isTrue();
        client.hello(TIMEOUT);
        assertThat(client.exec("echo alive", TIMEOUT).stdoutText()).isEqualTo("alive\n");
    }

    /** A fuzzed frame may announce more payload than was sent; the agent drops it after 1 s of silence. */
    private void assertPingWorksOnceTheAgentGaveUpOnAPartialFrame() {
        for (int attempt = 1; ; attempt++) {
            try {
                assertPingWorks();
                return;
            } catch (AgentTimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void assertRefused(Frame request, String codeName) {
        assertRefused(client.exchange(request, TIMEOUT), codeName);
    }

    private static void assertRefused(List<Frame> replies, String codeName) {
        assertThat(replies).hasSize(1);
        Frame reply = replies.get(0);
        assertThat(reply.type()).as("type of %s", reply).isEqualTo(Protocol.ERROR);
        assertThat(AgentClient.decodeError(reply).codeName()).as("error in %s", reply).isEqualTo(codeName);
    }

    private static Frame ping(int requestId, String payload) {
        return Frame.of(Protocol.PING, requestId, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void assertPingWorks() {
        byte[] payload = "still in step".getBytes(StandardCharsets.UTF_8);
        assertThat(client.ping(payload, Duration.ofSeconds(3))).isEqualTo(payload);
    }
}
