package dev.provium.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client for QEMU's machine protocol (QMP): JSON objects over a Unix socket, read and written with
 * Jackson over a java.nio {@link SocketChannel}. A reader thread matches replies to commands by id
 * and keeps the last {@value #EVENTS_KEPT} asynchronous events (STOP, RESUME, SHUTDOWN, ...), which
 * QEMU may send before or after the reply to the command that caused them.
 */
final class QmpClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int EVENTS_KEPT = 64;
    private static final Duration CAPABILITIES_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CONNECT_RETRY = Duration.ofMillis(20);
    private static final Duration MIGRATION_POLL = Duration.ofMillis(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;
    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Deque<JsonNode> events = new ArrayDeque<>();
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final Thread reader;
    private volatile QmpException closedBecause;

    private QmpClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.reader = new Thread(this::readLoop, "provium-qmp-" + socket.getFileName());
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects (retrying while the socket does not exist yet), reads the greeting and enables commands. */
    public static QmpClient connect(Path socket, Duration timeout) {
        return connect(socket, timeout, null);
    }

    /** Like {@link #connect(Path, Duration)}, but gives up at once, with QEMU's output, when qemu has exited. */
    public static QmpClient connect(Path socket, Duration timeout, QemuProcess qemu) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel channel = openWithRetry(socket, timeout, deadline, qemu);
        QmpClient client = new QmpClient(socket, channel);
        try {
            client.greeting.get(remaining(deadline), TimeUnit.NANOSECONDS);
            client.execute("qmp_capabilities", Map.of(), Duration.ofNanos(Math.max(remaining(deadline), CAPABILITIES_TIMEOUT.toNanos())));
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw QmpException.other("no QMP greeting on " + socket + " within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            client.close();
            throw QmpException.closed("QMP connection to " + socket + " closed before the greeting" + exitedSuffix(qemu), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw QmpException.other("interrupted while connecting to QMP " + socket, e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static SocketChannel openWithRetry(Path socket, Duration timeout, long deadline, QemuProcess qemu) {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        IOException last = null;
        while (true) {
            if (qemu != null && !qemu.isAlive()) {
                throw QmpException.closed("cannot connect to QMP " + socket + exitedSuffix(qemu), last);
            }
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(address);
                    return channel;
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                last = e;
            }
            if (remaining(deadline) <= 0) {
                throw QmpException.other("cannot connect to QMP " + socket + " within " + timeout.toMillis() + " ms: " + last, last);
            }
            sleep(CONNECT_RETRY);
        }
    }

    private static String exitedSuffix(QemuProcess qemu) {
        if (qemu == null || qemu.isAlive()) {
            return "";
        }
        qemu.awaitExit(Duration.ofSeconds(2));
        return ": QEMU exited with status " + qemu.exitCode().map(String::valueOf).orElse("?") + ": " + qemu.output().strip();
    }

    /** QEMU's greeting, e.g. {"QMP": {"version": {...}, "capabilities": [...]}}. */
    public JsonNode greeting() {
        return greeting.getNow(null);
    }

    /** Runs a command without arguments with {@link #DEFAULT_TIMEOUT}; returns its "return" value. */
    public JsonNode execute(String command) {
        return execute(command, Map.of(), DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command and returns its "return" value.
     *
     * @throws QmpException with QEMU's error class and description when QEMU rejects it, when no reply
     *                      comes within timeout, or when the connection closes
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        long id = ids.incrementAndGet();
        ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
        if (!arguments.isEmpty()) {
            request.set("arguments", JSON.valueToTree(arguments));
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            failIfClosed(reply);
            send(request);
            JsonNode response = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            JsonNode error = response.get("error");
            if (error != null) {
                throw QmpException.commandFailed(command, error.path("class").asText("?"), error.path("desc").asText("?"));
            }
            return response.path("return");
        } catch (TimeoutException e) {
            throw QmpException.other("no reply to QMP command '" + command + "' within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw QmpException.closed("QMP command '" + command + "': " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QmpException.other("interrupted while waiting for QMP command '" + command + "'", e);
        } finally {
            pending.remove(id);
        }
    }

    /** The run state: "running", "paused", "inmigrate", "postmigrate", "prelaunch", "shutdown", ... */
    public String queryStatus() {
        return execute("query-status").path("status").asText();
    }

    /** Pauses the guest's vCPUs. */
    public void stop() {
        execute("stop");
    }

    /** Resumes the guest's vCPUs (also after an incoming migration). */
    public void cont() {
        execute("cont");
    }

    /** Asks QEMU to exit; a connection that closes before the reply counts as done. */
    public void quit() {
        try {
            execute("quit");
        } catch (QmpException e) {
            if (!e.connectionClosed()) {
                throw e;
            }
        }
    }

    /** Starts migrating the VM state to uri, e.g. "exec:cat > FILE"; see {@link #awaitMigration(Duration)}. */
    public void migrate(String uri) {
        execute("migrate", Map.of("uri", uri), DEFAULT_TIMEOUT);
    }

    /** The "query-migrate" result: status ("active", "completed", "failed", ...), ram statistics, error-desc. */
    public JsonNode queryMigrate() {
        return execute("query-migrate");
    }

    /** Polls query-migrate until the migration completed; fails with QEMU's reason or on timeout. */
    public JsonNode awaitMigration(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode state = queryMigrate();
            String status = state.path("status").asText("none");
            switch (status) {
                case "completed":
                    return state;
                case "failed":
                case "cancelled":
                case "none":
                    throw QmpException.other("migration " + status + ": " + state.path("error-desc").asText("no reason given"), null);
                default:
                    if (remaining(deadline) <= 0) {
                        throw QmpException.other("migration not completed within " + timeout.toMillis() + " ms (status " + status + ")", null);
                    }
                    sleep(MIGRATION_POLL);
            }
        }
    }

    /** The most recent asynchronous events, oldest first. */
    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public boolean isOpen() {
        return closedBecause == null && channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            reader.join(DEFAULT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(ObjectNode request) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            synchronized (writeLock) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            QmpException closed = QmpException.closed("cannot send to QMP " + socket + ": " + e, e);
            if (closedBecause == null) {
                closedBecause = closed; // the reader may not have seen the end yet
            }
            throw closed;
        }
    }

    private void failIfClosed(CompletableFuture<JsonNode> reply) {
        QmpException closed = closedBecause;
        if (closed != null) {
            reply.completeExceptionally(closed);
        }
    }

    private void readLoop() {
        QmpException end = QmpException.closed("QMP connection " + socket + " closed (QEMU exited?)", null);
        try (MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(new ChannelInput(channel))) {
            while (messages.hasNextValue()) {
                dispatch(messages.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            if (channel.isOpen()) {
                end = QmpException.closed("QMP connection " + socket + " failed: " + e, e);
            }
        } finally {
            closedBecause = end;
            greeting.completeExceptionally(end);
            pending.values().forEach(reply -> reply.completeExceptionally(closedBecause));
        }
    }

    private void dispatch(JsonNode message) {
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            synchronized (events) {
                if (events.size() == EVENTS_KEPT) {
                    events.removeFirst();
                }
                events.addLast(message);
            }
        } else if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asLong());
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QmpException.other("interrupted", e);
        }
    }

    /**
     * Reads straight from the channel. Channels.newInputStream would hold the channel's blocking lock
     * during a read, which blocks every concurrent write on JDK 17.
     */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel channel;

        ChannelInput(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return length == 0 ? 0 : channel.read(ByteBuffer.wrap(buffer, offset, length));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count <= 0 ? -1 : one[0] & 0xFF;
        }
    }
}
