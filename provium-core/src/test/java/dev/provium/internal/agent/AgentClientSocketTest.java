package dev.provium.internal.agent;

import dev.provium.guest.ExecResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over a Unix-domain SocketChannel, as it talks to a VM's virtio-serial chardev. The real
 * agent runs with {@code --stdio}; two threads pump bytes between its pipes and the accepted socket.
 */
@Tag("agent-protocol")
class AgentClientSocketTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private AgentProcess agent;
    private ServerSocketChannel server;
    private SocketChannel accepted;
    private AgentClient client;

    @BeforeEach
    void connectThroughASocket() throws IOException {
        agent = AgentProcess.startWithoutClient(dir, "AgentClientSocketTest");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("agent.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(address);
        SocketChannel socket = SocketChannel.open(address);
        accepted = server.accept();
        // Channels.newInputStream/newOutputStream of one SocketChannel block each other on Java 17: use
        // the channel itself on the socket side.
        OutputStream agentInput = agent.process.getOutputStream();
        pump(accepted, buffer -> {
            agentInput.write(buffer.array(), 0, buffer.limit());
            agentInput.flush();
        }, agentInput, "to agent");
        pump(Channels.newChannel(agent.process.getInputStream()), buffer -> {
            while (buffer.hasRemaining()) {
                accepted.write(buffer);
            }
        }, accepted, "from agent");
        client = AgentClient.open(socket, "socket");
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
        accepted.close();
        server.close();
        agent.stop();
    }

    @Test
    void everyKindOfCallWorksOverASocket() {
        byte[] data = new byte[5 << 20];
        new Random(5).nextBytes(data);
        String path = dir.resolve("file").toString();

        assertThat(client.hello(TIMEOUT).version()).isEqualTo(AgentClient.PROTOCOL_VERSION);
        client.writeFile(path, data, 0600, TIMEOUT);
        assertThat(client.readFile(path, TIMEOUT)).isEqualTo(data);
        ExecResult result = client.exec("head -c 3000000 /dev/zero & head -c 3000000 /dev/zero >&2; wait", TIMEOUT);
        assertThat(result.stdout()).hasSize(3_000_000);
        assertThat(result.stderr()).hasSize(3_000_000);
    }

    @Test
    void closingTheClientEndsItsReaderThread() throws InterruptedException {
        client.ping(new byte[0], TIMEOUT);
        Thread reader = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("provium-agent-reader[socket]"))
                .findFirst().orElseThrow();

        client.close();
        reader.join(TIMEOUT.toMillis());

        assertThat(reader.isAlive()).as("reader thread alive after close").isFalse();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void anInterruptedCallIsCancelledAndTheConnectionStays() {
        Thread.currentThread().interrupt(); // as a test's time limit does to a thread stuck in a guest call
        try {
            assertThatThrownBy(() -> client.exec("sleep 600", TIMEOUT))
                    .isInstanceOf(AgentException.class)
                    .hasMessageContaining("interrupted while waiting for a reply to exec `sleep 600`");
        } finally {
            Thread.interrupted();
        }

        assertThat(client.isConnected()).as("connected after the interrupted call").isTrue();
        assertThat(client.exec("echo next", TIMEOUT).stdoutText()).isEqualTo("next\n");
    }

    /** Copies until either side ends; the bridge is not under test. */
    private static void pump(ReadableByteChannel from, Sink to, Closeable end, String direction) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try (end) {
                while (from.read(buffer) >= 0) {
                    to.write(buffer.flip());
                    buffer.clear();
                }
            } catch (IOException e) {
                // one side went away: the test's own assertions say whether that was expected
            }
        }, "socket bridge " + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private interface Sink {
        void write(ByteBuffer buffer) throws IOException;
    }
}
