package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router between the host and the servers, when a server is busy and memory is short. */
@Tag("agent-protocol")
class AgentRouterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Room for the agent's small allocations, far less than the payload below. */
    private static final long HEADROOM_KB = 2560;
    private static final int PAYLOAD = 16_000_000;

    @TempDir
    Path dir;

    @Test
    void aFrameTheRouterCannotQueueForABusyServerArrivesWholeOnceTheServerReads() throws Exception {
        assumeThat(linksAddressSanitizer(AgentProcess.binary(dir)))
                .as("an address-space limit does not go with AddressSanitizer's shadow memory")
                .isFalse();
        long limit = addressSpaceOfAnIdleAgent() + HEADROOM_KB;
        byte[] payload = new byte[PAYLOAD];
        new Random(42).nextBytes(payload);
        Path release = dir.resolve("release");

        try (RawAgent raw = new RawAgent(dir, "AgentRouterTest-busyServerShortOfMemory", limit)) {
            int exec = raw.nextId();
            int ping = raw.nextId();
            byte[] command = ("while [ ! -e " + release + " ]; do sleep 0.05; done").getBytes(StandardCharsets.UTF_8);
            // Channel 0 runs the command while the router forwards the PING: its socket takes a part, and the
            // rest is more than the router can allocate a queue for.
            raw.send(Frame.of(Protocol.EXEC, exec, new PayloadBuilder().u32(0).bytes(command).build()),
                    Frame.of(Protocol.PING, ping, payload));
            awaitChild(raw.process());
            Thread.sleep(200);
            Files.createFile(release);

            List<Frame> replies = raw.until(Protocol.AGENT_CHANNEL, ping, TIMEOUT);
            Frame pong = replies.get(replies.size() - 1);
            assertThat(pong.type()).isEqualTo(Protocol.PONG);
            assertThat(pong.payload()).as("the payload as sent").isEqualTo(payload);
            assertThat(replies).extracting(Frame::requestId).contains(exec);
        }
    }

    private static boolean linksAddressSanitizer(Path binary) throws IOException {
        return new String(Files.readAllBytes(binary), StandardCharsets.ISO_8859_1).contains("libasan");
    }

    /** VmSize of an agent that has served a request, in KiB. */
    private long addressSpaceOfAnIdleAgent() throws Exception {
        try (RawAgent raw = new RawAgent(dir, "AgentRouterTest-idle")) {
            int ping = raw.nextId();
            raw.send(Frame.of(Protocol.PING, ping, new byte[] {1}));
            assertThat(raw.reply(Protocol.AGENT_CHANNEL, ping, TIMEOUT).type()).isEqualTo(Protocol.PONG);
            String status = Files.readString(Path.of("/proc", Long.toString(raw.process().process.pid()), "status"));
            return status.lines().filter(line -> line.startsWith("VmSize:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst().orElseThrow();
        }
    }

    private static void awaitChild(AgentProcess agent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (agent.process.children().findAny().isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("the agent started no command").isNegative();
            Thread.sleep(10);
        }
    }
}
