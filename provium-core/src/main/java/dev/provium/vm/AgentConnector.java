package dev.provium.vm;

import dev.provium.internal.agent.AgentClient;
import dev.provium.internal.agent.AgentDisconnectedException;
import dev.provium.internal.agent.AgentTimeoutException;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Second phase of readiness: connects to the agent's chardev socket and repeats the handshake until
 * the agent answers, while watching that QEMU is still alive and the kernel has not panicked. The
 * socket accepts connections before the guest has opened its port, and an early connection can be
 * dropped, so both the connection and the HELLO are retried.
 */
final class AgentConnector {
    private static final Duration HELLO_ATTEMPT = Duration.ofMillis(200);
    private static final long RETRY_PAUSE_MILLIS = 20;

    private final Path socket;
    private final QemuProcess qemu;
    private final ConsoleLog console;
    private final String name;

    AgentConnector(Path socket, QemuProcess qemu, ConsoleLog console, String name) {
        this.socket = socket;
        this.qemu = qemu;
        this.console = console;
        this.name = name;
    }

    /** A client that has completed the handshake; a {@link BootFailure} says why there is none. */
    AgentClient connect(Duration timeout) throws InterruptedException {
        return connect(timeout, null);
    }

    /**
     * Like {@link #connect(Duration)}, starting from a connection opened earlier (or null): a resumed
     * guest answers at once when the host is already connected as it starts running again.
     */
    AgentClient connect(Duration timeout, AgentClient opened) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        AgentClient client = opened;
        while (true) {
            checkGuest();
            if (Instant.now().isAfter(deadline)) {
                closeQuietly(client);
                throw new BootFailure("the agent did not answer within " + timeout.toSeconds()
                        + "s of starting QEMU (boot timeout)");
            }
            try {
                if (client == null || !client.isConnected()) {
                    closeQuietly(client);
                    client = open();
                }
                client.hello(HELLO_ATTEMPT);
                return client;
            } catch (IOException | AgentTimeoutException | AgentDisconnectedException notYet) {
                Thread.sleep(RETRY_PAUSE_MILLIS);
            }
        }
    }

    /** A connection to the agent's socket now, or empty when the socket does not accept one yet. */
    Optional<AgentClient> tryOpen() {
        try {
            return Optional.of(open());
        } catch (IOException notYet) {
            return Optional.empty();
        }
    }

    private AgentClient open() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return AgentClient.open(channel, name);
    }

    private void checkGuest() {
        if (!qemu.isAlive()) {
            String exit = qemu.exitCode().map(code -> " with code " + code).orElse("");
            String reason = console.panicLine()
                    .map(panic -> "the guest kernel panicked during boot (" + panic + "); QEMU exited" + exit)
                    .orElse("QEMU exited" + exit + " before the agent answered");
            String output = qemu.output().strip();
            throw new BootFailure(output.isEmpty() ? reason : reason + "; QEMU said: " + output);
        }
        console.panicLine().ifPresent(panic -> {
            throw new BootFailure("the guest kernel panicked during boot (" + panic + ")");
        });
    }

    private static void closeQuietly(AgentClient client) {
        if (client != null) {
            client.close();
        }
    }

    /** Why a boot failed; the VM turns it into a {@link VmException} with the console tail. */
    static final class BootFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BootFailure(String reason) {
            super(reason);
        }
    }
}
