package dev.provium.internal.agent;

import dev.provium.guest.AgentErrorException;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Payloads of the kernel-testing requests that no well-behaved host sends: each gets an ERROR naming the mistake. */
@Tag("agent-protocol")
class AgentKernelMalformedInputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentClient client;

    @BeforeEach
    void connect() {
        client = hostAgent.client();
        client.hello(TIMEOUT);
    }

    @AfterEach
    void theAgentSurvived() {
        assertPingWorks();
        assertThat(hostAgent.agent().process.isAlive()).isTrue();
    }

    @Test
    void syscallCountsAndSizesOutOfRange() {
        assertRefused(syscall(p -> p.u8(7).u64(1).u64(2).u64(3).u64(4).u64(5).u64(6).u64(7).u8(0).u8(0).u16(0)),
                "SYSCALL has 7 arguments; at most 6");
        PayloadBuilder tooMany = new PayloadBuilder().u64(39).u8(0).u8(65);
        for (int i = 0; i < 65; i++) {
            tooMany.u32(0).u8(0).u32(0);
        }
        assertRefused(Frame.of(Protocol.SYSCALL, client.nextRequestId(), tooMany.u8(0).u16(0).build()),
                "SYSCALL has 65 buffers; at most 64");
        assertRefused(syscall(p -> p.u8(0).u8(1).u32(3).u8(0).bytes(new byte[4]).u8(0).u16(0)),
                "SYSCALL buffer 0 holds 4 bytes of data, more than its size of 3");
        assertRefused(syscall(p -> p.u8(0).u8(2).u32(10 << 20).u8(0).u32(0).u32(10 << 20).u8(0).u32(0).u8(0).u16(0)),
                "more than the 16773120-byte limit");
        assertRefused(syscall(p -> p.u8(0).u8(1).u32(0xFFFF_FFFFL).u8(0).u32(0).u8(0).u16(0)),
                "more than the 16773120-byte limit");
    }

    @Test
    void syscallPointersThatPointNowhere() {
        assertRefused(syscall(p -> p.u8(1).u64(0).u8(1).u32(8).u8(0).u32(0).u8(1).u8(1).u8(0).u16(0)),
                "SYSCALL puts buffer 0 into argument 1, but it has 1 arguments");
        assertRefused(syscall(p -> p.u8(1).u64(0).u8(1).u32(8).u8(0).u32(0).u8(1).u8(0).u8(1).u16(0)),
                "SYSCALL puts buffer 1 into argument 0, but it has 1 buffers");
        assertRefused(syscall(p -> p.u8(1).u64(0).u8(1).u32(8).u8(0).u32(0).u8(2).u8(0).u8(0).u8(0).u8(0).u16(0)),
                "SYSCALL puts two buffers into argument 0");
        assertRefused(syscall(p -> p.u8(0).u8(1).u32(8).u8(0).u32(0).u8(0).u16(1).u8(0).u32(0).u8(3)),
                "SYSCALL pointer patch 0 links buffer 0 to buffer 3, but it has 1 buffers");
        assertRefused(syscall(p -> p.u8(0).u8(1).u32(12).u8(0).u32(0).u8(0).u16(1).u8(0).u32(5).u8(0)),
                "SYSCALL pointer patch 0: offset 5 + 8 bytes is beyond the 12 bytes of buffer 0");
        assertRefused(syscall(p -> p.u8(0).u8(1).u32(12).u8(0).u32(0).u8(0).u16(1).u8(0).u32(0xFFFF_FFFFL).u8(0)),
                "offset 4294967295 + 8 bytes is beyond");
        assertRefused(syscall(p -> p.u8(0).u8(0).u8(0).u16(257)), "SYSCALL has 257 pointer patches; at most 256");
        assertRefused(syscall(p -> p.u8(0).u8(0).u8(7)), "SYSCALL has 7 argument pointers; at most 6");
    }

    @Test
    void syscallPayloadsCutShortOrTooLong() {
        assertRefused(Frame.of(Protocol.SYSCALL, client.nextRequestId(), new byte[3]), "SYSCALL payload is cut short");
        assertRefused(syscall(p -> p.u8(2).u64(1)), "SYSCALL payload is cut short");
        assertRefused(syscall(p -> p.u8(0).u8(0).u8(0).u16(0).u8(9)), "has bytes left over");
        assertRefused(Frame.of(Protocol.IOCTL, client.nextRequestId(), new PayloadBuilder().u8(3).build()),
                "IOCTL payload is cut short");
        assertRefused(Frame.of(Protocol.IOCTL, client.nextRequestId(), new PayloadBuilder().u8(9).build()),
                "IOCTL has 9 arguments");
    }

    @Test
    void jobRequestsThatDoNotDecode() {
        assertRefused(Frame.of(Protocol.BACKGROUND, client.nextRequestId(), new byte[2]),
                "BACKGROUND payload must be str command");
        assertRefused(Frame.of(Protocol.BACKGROUND, client.nextRequestId(), new PayloadBuilder().str("a\0b").build()),
                "BACKGROUND command contains a NUL byte");
        assertRefused(Frame.of(Protocol.JOB_WAIT, client.nextRequestId(), new PayloadBuilder().u32(1).build()),
                "JOB_WAIT payload must be u32 job id then u32 timeout_ms");
        assertRefused(Frame.of(Protocol.JOB_KILL, client.nextRequestId(), new PayloadBuilder().u32(1).u32(0).build()),
                "JOB_KILL payload must be u32 job id");
    }

    @Test
    void workerAndDmesgRequestsThatDoNotDecode() {
        assertRefused(Frame.of(Protocol.SPAWN, client.nextRequestId(), new byte[0]), "SPAWN payload must be u8 kind");
        assertRefused(Frame.of(Protocol.SPAWN, client.nextRequestId(), new byte[] {2}), "0 (fork) or 1 (thread)");
        assertRefused(Frame.of(Protocol.KILL_WORKER, client.nextRequestId(), new byte[3]),
                "KILL_WORKER payload must be u16 channel");
        assertRefused(Frame.of(Protocol.DMESG, client.nextRequestId(), new byte[1]), "DMESG payload must be empty");
    }

    private Frame syscall(Consumer<PayloadBuilder> fields) {
        PayloadBuilder payload = new PayloadBuilder().u64(39);
        fields.accept(payload);
        return Frame.of(Protocol.SYSCALL, client.nextRequestId(), payload.build());
    }

    private void assertRefused(Frame request, String message) {
        List<Frame> replies = client.exchange(request, TIMEOUT);
        assertThat(replies).hasSize(1);
        Frame reply = replies.get(0);
        assertThat(reply.type()).as("type of %s", reply).isEqualTo(Protocol.ERROR);
        AgentErrorException error = AgentClient.decodeError(reply);
        assertThat(error.codeName()).isEqualTo("MALFORMED");
        assertThat(error.agentMessage()).contains(message);
    }

    private void assertPingWorks() {
        byte[] payload = "still in step".getBytes(StandardCharsets.UTF_8);
        assertThat(client.ping(payload, TIMEOUT)).isEqualTo(payload);
    }
}
