package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.guest.AgentErrorException;

import dev.provium.guest.ExecResult;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the Provium agent protocol (provium-agent/PROTOCOL.md) over one byte stream: a
 * Unix-domain socket to a VM's virtio-serial port, or the stdin/stdout of an agent run on the host.
 *
 * <p>A daemon reader thread routes each reply to the call waiting for its request id, so calls from
 * several threads may be in flight at once. Every call has a timeout: when it passes, the client
 * cancels the request in the agent (CANCEL; not HELLO, which only finds out whether the agent is there), waits up to {@link #CANCEL_GRACE} for the agent to end it,
 * and reports the timeout ({@link ExecResult#timedOut()} for exec, {@link AgentTimeoutException} for
 * the others); the connection stays usable. A call abandoned for another reason (its reply overflows,
 * the thread is interrupted) is cancelled as well. When the stream ends or breaks, pending and later
 * calls fail with {@link AgentDisconnectedException}.
 */
@API(status = INTERNAL)
public final class AgentClient implements AutoCloseable {
    public static final int PROTOCOL_VERSION = Protocol.VERSION;
    /** Added to an exec's guest-side timeout for the host's wait: the agent needs time to kill and report. */
    public static final Duration EXEC_TIMEOUT_MARGIN = Duration.ofSeconds(5);
    /**
     * After a call's deadline the client cancels the request (protocol CANCEL) and waits this long for
     * the agent to end it, so that its channel is free for the next request.
     */
    public static final Duration CANCEL_GRACE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(AgentClient.class);
    private static final int UNSOLICITED_ERRORS_KEPT = 64;
    /** Garbage tends to come in bursts: warn about the first few, log the rest at debug. */
    private static final int UNSOLICITED_ERRORS_WARNED = 5;
    private static final int MAX_COMMAND_IN_MESSAGES = 120;
    /** Put in a call's inbox when the connection is gone; compared by identity. */
    private static final Frame GONE = Frame.of(Protocol.ERROR, 0, new byte[0]);

    private final String name;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Thread readerThread;
    private final Map<Long, Call> pending = new ConcurrentHashMap<>();
    private final Object uploadLock = new Object();
    /**
     * Starts at random: after a reconnect the agent may still send replies to the requests of an
     * earlier connection, which must not be taken for replies to this one's.
     */
    private final AtomicInteger requestIds = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final BlockingQueue<AgentErrorException> unsolicitedErrors =
            new ArrayBlockingQueue<>(UNSOLICITED_ERRORS_KEPT);
    private int unsolicitedErrorCount; // reader thread only
    private final AtomicReference<AgentDisconnectedException> disconnected = new AtomicReference<>();
    private volatile boolean shutdownAcknowledged;
    private volatile Duration execTimeoutMargin = EXEC_TIMEOUT_MARGIN;
    private volatile Duration cancelGrace = CANCEL_GRACE;
    private volatile long replyLimit = ReplyBuffer.defaultLimit();

    private AgentClient(ReadableByteChannel in, WritableByteChannel out, String name) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.reader = new FrameReader(in);
        this.writer = new FrameWriter(out);
        this.readerThread = new Thread(this::readLoop, "provium-agent-reader[" + name + "]");
        readerThread.setDaemon(true);
    }

    /**
     * Connects over separate blocking channels. {@code name} identifies the connection in messages,
     * logs and the reader thread's name (e.g. the VM's name).
     */
    public static AgentClient open(ReadableByteChannel in, WritableByteChannel out, String name) {
        AgentClient client = new AgentClient(in, out, name);
        client.readerThread.start();
        return client;
    }

    /** Connects over one blocking bidirectional channel, e.g. a connected Unix-domain SocketChannel. */
    public static AgentClient open(ByteChannel channel, String name) {
        return open(channel, channel, name);
    }

    /**
     * Connects over streams, e.g. a {@link Process}'s stdout and stdin. Every frame is flushed.
     * Closing the client closes both streams; a reader blocked on a pipe ends when the peer closes it.
     * For a SocketChannel use {@link #open(ByteChannel, String)}: on Java 17 the streams of
     * {@code Channels.newInputStream}/{@code newOutputStream} over one SocketChannel block each other.
     */
    public static AgentClient open(InputStream in, OutputStream out, String name) {
        return open(Channels.newChannel(in), new FlushingChannel(out), name);
    }

    /**
     * Performs the handshake, which may be repeated at any time; fails with an
     * {@link AgentErrorException} ({@code VERSION_MISMATCH}, naming both versions) when they differ.
     */
    public Hello hello(Duration timeout) {
        return hello(PROTOCOL_VERSION, timeout);
    }

    Hello hello(int version, Duration timeout) {
        byte[] payload = new PayloadBuilder().u32(version).build();
        Frame reply;
        // Not cancelled on timeout: an agent that does not answer HELLO is not there yet (see AgentConnector).
        try (Call call = register(Protocol.AGENT_CHANNEL, nextRequestId(), "hello")) {
            send(call, call.frame(Protocol.HELLO, 0, payload));
            reply = expect(call, awaitFinal(call, deadline(timeout), describe(timeout), this::unexpected),
                    Protocol.HELLO_OK);
        }
        PayloadReader fields = new PayloadReader(reply);
        int agentVersion = (int) fields.u32("version");
        long pid = fields.u32("pid");
        int count = fields.u16("count");
        List<String> capabilities = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            capabilities.add(fields.str("capability " + i));
        }
        fields.end();
        if (agentVersion != version) {
            throw new AgentException("agent " + name + " accepted HELLO for protocol " + version
                    + " but says it speaks protocol " + agentVersion);
        }
        return new Hello(agentVersion, pid, capabilities);
    }

    /**
     * Runs {@code /bin/sh -c command} in the guest. The agent kills the command when {@code timeout}
     * expires (the result then has {@link ExecResult#timedOut()}); the host waits
     * {@link #EXEC_TIMEOUT_MARGIN} longer for that report, then cancels the request (the agent kills
     * the command's process group) and returns a result with {@link ExecResult#timedOut()} as well,
     * holding the output that arrived; only when the agent does not end the request within
     * {@link #CANCEL_GRACE} either does it fail with {@link AgentTimeoutException} (the channel may be
     * stuck). The timeout must be between 1 ms and 2^32-1 ms. Requests sent while a command runs are
     * served after it ends.
     */
    public ExecResult exec(String command, Duration timeout) {
        return exec(Protocol.AGENT_CHANNEL, command, timeout);
    }

    ExecResult exec(int channel, String command, Duration timeout) {
        long timeoutMillis = timeout.toMillis();
        if (timeout.isNegative() || timeoutMillis == 0 || timeoutMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("exec timeout " + timeout + " is not between 1 ms and 2^32-1 ms");
        }
        byte[] payload = new PayloadBuilder().u32(timeoutMillis).str(command).build();
        String what = "exec `" + abbreviate(command) + "`";
        OutputCollector output = new OutputCollector(name, what, replyLimit);
        Duration margin = execTimeoutMargin;
        Duration wait = timeout.plus(margin);
        String within = describe(wait) + " (guest-side timeout " + describe(timeout) + " + "
                + describe(margin) + " margin)";
        Frame exit;
        try (Call call = register(channel, nextRequestId(), what)) {
            send(call, call.frame(Protocol.EXEC, 0, payload));
            try {
                exit = awaitFinal(call, deadline(wait), within, output);
            } catch (AgentTimeoutException e) {
                return cancelledExec(command, call, output, within);
            } catch (AgentDisconnectedException e) {
                throw e;
            } catch (RuntimeException e) {
                cancel(call, output);
                throw e;
            }
            exit = expect(call, exit, Protocol.EXIT);
        }
        return execResult(command, exit, output);
    }

    /** The result of an exec whose host-side wait ran out: cancelled, and timed out whatever the agent says. */
    private ExecResult cancelledExec(String command, Call call, OutputCollector output, String within) {
        Frame last = cancel(call, output);
        requireConnected(call);
        if (last != null && last.type() == Protocol.EXIT) {
            ExecResult result = execResult(command, last, output);
            return new ExecResult(command, result.exitCode(), output.stdout(), output.stderr(), true, result.signal());
        }
        // Not a result: the command may still run and hold the channel, which the caller must know.
        throw new AgentTimeoutException(call.what + " timed out after " + within + " on agent " + name
                + "; the request was cancelled, but the agent did not end it within " + describe(cancelGrace)
                + " (its channel may stay busy)", false);
    }

    private static ExecResult execResult(String command, Frame exit, OutputCollector output) {
        PayloadReader fields = new PayloadReader(exit);
        int exitCode = fields.i32("exit code");
        int flags = fields.u8("flags");
        int signal = fields.u8("signal");
        fields.end();
        return new ExecResult(command, exitCode, output.stdout(), output.stderr(),
                (flags & (Protocol.EXIT_TIMED_OUT | Protocol.EXIT_CANCELLED)) != 0,
                (flags & Protocol.EXIT_SIGNALED) != 0 ? signal : 0);
    }

    /**
     * Writes {@code data} to {@code path} in the guest. A new file gets exactly the permission bits
     * {@code mode} (no umask); an existing file is truncated and keeps its mode, so files in /proc and
     * /sys can be written.
     */
    public void writeFile(String path, byte[] data, int mode, Duration timeout) {
        writeFile(path, new ByteArrayInputStream(data), mode, timeout);
    }

    /** Copies the host file {@code source} to {@code path} in the guest. */
    public void writeFile(String path, Path source, int mode, Duration timeout) {
        try (InputStream data = Files.newInputStream(source)) {
            writeFile(path, data, mode, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + " to write it to " + path + " in the guest", e);
        }
    }

    /**
     * Streams {@code data} to {@code path} in the guest in chunks of 1 MiB, as
     * {@link #writeFile(String, byte[], int, Duration)} does. The timeout is checked between chunks. If
     * it expires or {@code data} fails while sending, the request is ended early so the stream stays in
     * step, and the guest file is left incomplete (the protocol has no way to abort a WRITE_FILE).
     * Uploads from several threads take turns: the agent keeps one WRITE_FILE open at a time.
     */
    public void writeFile(String path, InputStream data, int mode, Duration timeout) {
        writeFile(Protocol.AGENT_CHANNEL, path, data, mode, timeout);
    }

    void writeFile(int channel, String path, InputStream data, int mode, Duration timeout) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("file mode 0" + Integer.toOctalString(mode)
                    + " for " + path + " is not a set of permission bits (0 to 07777)");
        }
        String what = "write_file " + path;
        long deadline = deadline(timeout);
        byte[] payload = new PayloadBuilder().u32(mode).str(path).build();
        try (Call call = register(channel, nextRequestId(), what)) {
            long sent;
            // The agent keeps one WRITE_FILE open: another one would abandon it. Other requests may interleave.
            synchronized (uploadLock) {
                send(call, call.frame(Protocol.WRITE_FILE, Protocol.FLAG_MORE, payload));
                sent = sendData(call, data, deadline, timeout);
            }
            Frame done = expect(call, awaitOrCancel(call, deadline, timeout, this::unexpected), Protocol.DONE);
            PayloadReader fields = new PayloadReader(done);
            long written = fields.u64("byte count");
            fields.end();
            if (written != sent) {
                throw new AgentException("agent " + name + " says it wrote " + Long.toUnsignedString(written)
                        + " bytes to " + path + " but " + sent + " were sent");
            }
        }
    }

    /** Sends DATA chunks and the empty DATA that ends the file; returns the number of bytes sent. */
    private long sendData(Call call, InputStream data, long deadline, Duration timeout) {
        byte[] chunk = new byte[Protocol.MAX_DATA_CHUNK];
        long sent = 0;
        while (!call.hasFinalReply()) {
            int length;
            try {
                length = data.readNBytes(chunk, 0, chunk.length);
            } catch (IOException e) {
                endData(call);
                throw new UncheckedIOException("reading the data for " + call.what + " failed after " + sent
                        + " bytes; the guest file is incomplete", e);
            }
            if (length == 0) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                endData(call);
                throw new AgentTimeoutException(call.what + " did not finish within " + describe(timeout)
                        + ": only " + sent + " bytes were sent; the guest file is incomplete");
            }
            send(call, call.frame(Protocol.DATA, Protocol.FLAG_MORE, Arrays.copyOf(chunk, length)));
            sent += length;
        }
        endData(call);
        return sent;
    }

    private void endData(Call call) {
        send(call, call.frame(Protocol.DATA, 0, new byte[0]));
    }

    /** Reads the whole guest file {@code path}. */
    public byte[] readFile(String path, Duration timeout) {
        ReplyBuffer data = new ReplyBuffer("read_file " + path, replyLimit);
        readFile(path, data, timeout);
        return data.toByteArray();
    }

    /** Streams the guest file {@code path} into {@code sink}; returns its size. */
    public long readFile(String path, OutputStream sink, Duration timeout) {
        return readFile(Protocol.AGENT_CHANNEL, path, sink, timeout);
    }

    long readFile(int channel, String path, OutputStream sink, Duration timeout) {
        String what = "read_file " + path;
        long[] received = {0};
        Consumer<Frame> data = frame -> {
            if (frame.type() != Protocol.DATA_REPLY) {
                unexpected(frame);
            }
            try {
                sink.write(frame.payload());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store the data of " + what + " after "
                        + received[0] + " bytes", e);
            }
            received[0] += frame.payload().length;
        };
        byte[] payload = new PayloadBuilder().str(path).build();
        Frame done = call(channel, what, Protocol.READ_FILE, payload, timeout, Protocol.DONE, data);
        PayloadReader fields = new PayloadReader(done);
        long total = fields.u64("byte count");
        fields.end();
        if (total != received[0]) {
            throw new AgentException("agent " + name + " says it read " + Long.toUnsignedString(total)
                    + " bytes of " + path + " but sent " + received[0]);
        }
        return total;
    }

    /** Asks the agent to power the guest off (or to exit, on the host) and waits for its OK. */
    public void shutdown(Duration timeout) {
        Frame ok = call(Protocol.AGENT_CHANNEL, "shutdown", Protocol.SHUTDOWN, new byte[0], timeout, Protocol.OK, this::unexpected);
        new PayloadReader(ok).end();
        shutdownAcknowledged = true;
    }

    /** Sends {@code payload} and returns what the agent echoed. */
    public byte[] ping(byte[] payload, Duration timeout) {
        return call(Protocol.AGENT_CHANNEL, "ping", Protocol.PING, payload, timeout, Protocol.PONG,
                this::unexpected).payload();
    }

    /**
     * The requests of one channel: 0 is the agent itself ({@link #agentChannel()}), a worker's
     * channel comes from {@link #spawn(boolean, Duration)}.
     */
    public AgentChannel channel(int number) {
        if (number < 0 || number > 0xFFFF) {
            throw new IllegalArgumentException("channel " + number + " is not a u16");
        }
        return new AgentChannel(this, number);
    }

    /** The agent's own channel, 0. */
    public AgentChannel agentChannel() {
        return channel(Protocol.AGENT_CHANNEL);
    }

    /**
     * Starts a worker serving a channel of its own: a fork of the agent, or ({@code thread}) a thread
     * of the agent with its own credentials that shares its memory and descriptors.
     */
    public WorkerInfo spawn(boolean thread, Duration timeout) {
        byte[] payload = new PayloadBuilder().u8(thread ? Protocol.SPAWN_THREAD : Protocol.SPAWN_FORK).build();
        Frame spawned = call(Protocol.AGENT_CHANNEL, thread ? "spawn a thread worker" : "spawn a worker",
                Protocol.SPAWN, payload, timeout, Protocol.SPAWNED, this::unexpected);
        PayloadReader fields = new PayloadReader(spawned);
        int channel = fields.u16("channel");
        long pid = fields.u32("pid");
        long tid = fields.u32("tid");
        fields.end();
        return new WorkerInfo(channel, pid, tid, thread);
    }

    /**
     * Ends the worker on {@code channel} once its current request is done (a system call it is blocked
     * in is interrupted); its jobs are killed. Unknown channels are an {@link AgentErrorException}
     * ({@code NOT_FOUND}).
     */
    public void killWorker(int channel, Duration timeout) {
        byte[] payload = new PayloadBuilder().u16(channel).build();
        Frame ok = call(Protocol.AGENT_CHANNEL, "kill the worker on channel " + channel, Protocol.KILL_WORKER,
                payload, timeout, Protocol.OK, this::unexpected);
        new PayloadReader(ok).end();
    }

    String name() {
        return name;
    }

    /**
     * The most bytes one reply (a file read, a command's stdout or stderr, the kernel log) may hold in memory;
     * a call whose reply grows past it fails with {@link AgentOverflowException}. Default: an eighth of the heap.
     */
    public void replyLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("reply limit " + bytes + " is not positive");
        }
        replyLimit = bytes;
    }

    long replyLimit() {
        return replyLimit;
    }

    /** False once the connection is gone (closed, stream ended, or broken). */
    public boolean isConnected() {
        return disconnected.get() == null;
    }

    /** Fails pending calls, closes both channels and lets the reader thread end. Idempotent. */
    @Override
    public void close() {
        disconnect(new AgentDisconnectedException("the client was closed"));
        closeQuietly(in);
        closeQuietly(out);
        readerThread.interrupt();
    }

    @Override
    public String toString() {
        return "AgentClient[" + name + (isConnected() ? "" : ", disconnected") + "]";
    }

    // ---- raw access for protocol tests ----

    void setExecTimeoutMargin(Duration margin) {
        execTimeoutMargin = margin;
    }

    int nextRequestId() {
        int id;
        do {
            id = requestIds.getAndIncrement();
        } while (id == Protocol.NO_REQUEST);
        return id;
    }

    /** Writes bytes to the agent as they are. */
    void sendRaw(byte[] bytes) {
        try {
            writer.writeRaw(bytes);
        } catch (IOException e) {
            throw disconnect(new AgentDisconnectedException("writing to agent " + name + " failed: " + e, e));
        }
    }

    /** Sends {@code request} as it is and returns every reply to its channel and id, the final one last. */
    List<Frame> exchange(Frame request, Duration timeout) {
        return exchangeRaw(FrameWriter.encode(request), request.channel(), request.requestId(), timeout);
    }

    /** Sends raw bytes and returns every reply to the given channel and id, the final one last. */
    List<Frame> exchangeRaw(byte[] bytes, int channel, int requestId, Duration timeout) {
        List<Frame> replies = new ArrayList<>();
        String what = "raw request " + Integer.toUnsignedString(requestId) + " on channel " + channel;
        try (Call call = register(channel, requestId, what)) {
            sendRaw(bytes);
            replies.add(awaitFinal(call, deadline(timeout), describe(timeout), replies::add));
        }
        return replies;
    }

    /** The next ERROR that answered no request (request id 0), e.g. about garbage. */
    AgentErrorException nextUnsolicitedError(Duration timeout) {
        try {
            AgentErrorException error = unsolicitedErrors.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (error == null) {
                throw new AgentTimeoutException("agent " + name + " sent no ERROR with request id 0 within "
                        + describe(timeout));
            }
            return error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while waiting for an ERROR from agent " + name, e);
        }
    }

    // ---- calls ----

    /**
     * Sends one request on {@code channel} and waits for its final reply, which must have type
     * {@code finalType} (an ERROR becomes its {@link AgentErrorException}); non-final replies go to
     * {@code partials}.
     */
    Frame call(int channel, String what, int type, byte[] payload, Duration timeout, int finalType,
            Consumer<Frame> partials) {
        try (Call call = register(channel, nextRequestId(), what)) {
            send(call, call.frame(type, 0, payload));
            return expect(call, awaitOrCancel(call, deadline(timeout), timeout, partials), finalType);
        }
    }

    /**
     * {@link #awaitFinal}, and when the deadline passes or the call is abandoned (its partial replies
     * fail, the thread is interrupted), cancels the request before it throws.
     */
    private Frame awaitOrCancel(Call call, long deadline, Duration timeout, Consumer<Frame> partials) {
        try {
            return awaitFinal(call, deadline, describe(timeout), partials);
        } catch (AgentTimeoutException e) {
            Frame last = cancel(call, partials);
            requireConnected(call);
            throw new AgentTimeoutException(call.what + " timed out after " + describe(timeout) + " on agent " + name
                    + "; the request was cancelled" + (last != null ? ""
                            : ", but the agent did not end it within " + describe(cancelGrace)
                                    + " (its channel may stay busy)"),
                    last != null);
        } catch (AgentDisconnectedException e) {
            throw e;
        } catch (RuntimeException e) {
            cancel(call, partials);
            throw e;
        }
    }

    /**
     * Sends CANCEL for the call's request and waits up to the grace for its final reply, handing what
     * comes before it to {@code partials} (whose failures no longer matter). Returns that final reply, or
     * null when none came: the agent did not end the request in time, had answered it already (the
     * answer was then taken before), or the connection is gone.
     */
    private Frame cancel(Call call, Consumer<Frame> partials) {
        Call cancel = new Call(call.channel, nextRequestId(), "cancel " + call.what, call.inbox);
        if (pending.putIfAbsent(cancel.key, cancel) != null) {
            return null;
        }
        // an interrupted thread would close the socket channel by writing to it (and could not wait for the
        // agent to end the request): cancel with the flag cleared, and set it again afterwards
        boolean interrupted = Thread.interrupted();
        try {
            byte[] payload = new PayloadBuilder().u16(call.channel).u32(call.requestId & 0xFFFF_FFFFL).build();
            writer.write(cancel.frame(Protocol.CANCEL, 0, payload));
            return awaitCancelled(call, cancel, partials);
        } catch (IOException e) {
            disconnect(new AgentDisconnectedException("writing to agent " + name + " failed: " + e, e));
            return null;
        } catch (InterruptedException e) {
            interrupted = true;
            return null;
        } finally {
            pending.remove(cancel.key, cancel);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Frame awaitCancelled(Call call, Call cancel, Consumer<Frame> partials) throws InterruptedException {
        long deadline = deadline(cancelGrace);
        Consumer<Frame> rest = partials;
        while (true) {
            long left = deadline - System.nanoTime();
            Frame frame = left > 0 ? call.inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (frame == null || frame == GONE) {
                return null;
            }
            if (frame.requestId() == cancel.requestId) {
                // NOT_PENDING: the request's final reply, if any, was sent before this one and taken already.
                if (frame.type() == Protocol.CANCEL_STATUS && frame.payload().length == 1
                        && frame.payload()[0] == Protocol.CANCEL_NOT_PENDING) {
                    return null;
                }
                continue;
            }
            if (Protocol.isFinal(frame.type())) {
                return frame;
            }
            try {
                rest.accept(frame);
            } catch (RuntimeException e) {
                rest = ignored -> { };
            }
        }
    }

    private void requireConnected(Call call) {
        AgentDisconnectedException reason = disconnected.get();
        if (reason != null) {
            throw new AgentDisconnectedException("agent " + name + " disconnected while waiting for a reply to "
                    + call.what + ": " + reason.getMessage(), reason);
        }
    }

    void setCancelGrace(Duration grace) {
        cancelGrace = grace;
    }

    private Call register(int channel, int requestId, String what) {
        Call call = new Call(channel, requestId, what);
        if (pending.putIfAbsent(call.key, call) != null) {
            throw new IllegalStateException("request id " + Integer.toUnsignedString(requestId)
                    + " on channel " + channel + " is already in flight");
        }
        AgentDisconnectedException reason = disconnected.get();
        if (reason != null) {
            pending.remove(call.key);
            throw new AgentDisconnectedException("agent " + name + " is disconnected (" + reason.getMessage()
                    + "); cannot send " + what, reason);
        }
        return call;
    }

    private void send(Call call, Frame frame) {
        // an interrupt during the write would close the socket channel and end the connection; the caller's
        // wait for the reply sees it instead, and cancels the request
        boolean interrupted = Thread.interrupted();
        try {
            writer.write(frame);
        } catch (IOException e) {
            AgentDisconnectedException reason = disconnected.get();
            if (reason == null) {
                reason = disconnect(new AgentDisconnectedException("writing to agent " + name + " failed: " + e, e));
            }
            throw new AgentDisconnectedException("agent " + name + " is disconnected (" + reason.getMessage()
                    + "); cannot send " + call.what, reason);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the final reply, handing non-final ones (OUTPUT, DATA) to {@code partials}. */
    private Frame awaitFinal(Call call, long deadline, String within, Consumer<Frame> partials) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AgentTimeoutException("no reply to " + call.what + " within " + within
                        + " from agent " + name);
            }
            Frame frame;
            try {
                frame = call.inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException("interrupted while waiting for a reply to " + call.what, e);
            }
            if (frame == GONE) {
                AgentDisconnectedException reason = disconnected.get();
                throw new AgentDisconnectedException("agent " + name + " disconnected while waiting for a reply to "
                        + call.what + ": " + reason.getMessage(), reason);
            }
            if (frame != null && Protocol.isFinal(frame.type())) {
                return frame;
            }
            if (frame != null) {
                partials.accept(frame);
            }
        }
    }

    /** Turns an ERROR into its exception and checks that the final reply has the type the request expects. */
    private Frame expect(Call call, Frame reply, int finalType) {
        if (reply.type() == Protocol.ERROR) {
            throw decodeError(reply);
        }
        if (reply.type() != finalType) {
            throw new AgentException("agent " + name + " answered " + call.what + " with " + reply
                    + " instead of " + Protocol.typeName(finalType));
        }
        return reply;
    }

    void unexpected(Frame frame) {
        throw new AgentException("agent " + name + " sent an unexpected " + frame);
    }

    static AgentErrorException decodeError(Frame frame) {
        PayloadReader fields = new PayloadReader(frame);
        int code = fields.u16("code");
        int errno = fields.i32("errno");
        String message = fields.str("message");
        fields.end();
        return new AgentErrorException(code, Protocol.errorName(code), errno, message);
    }

    // ---- reader thread ----

    private void readLoop() {
        try {
            long skipped = 0;
            Frame frame;
            while ((frame = reader.read()) != null) {
                if (reader.skippedBytes() != skipped) {
                    log.warn("agent {}: skipped {} bytes that were not a valid frame", name,
                            reader.skippedBytes() - skipped);
                    skipped = reader.skippedBytes();
                }
                dispatch(frame);
            }
            disconnect(new AgentDisconnectedException("the agent closed the stream"));
        } catch (IOException e) {
            disconnect(new AgentDisconnectedException("reading from the agent failed: " + e, e));
        } catch (RuntimeException | Error e) {
            disconnect(new AgentDisconnectedException("the reader thread failed: " + e, e));
            throw e;
        }
    }

    private void dispatch(Frame frame) {
        Call call = pending.get(Call.key(frame.channel(), frame.requestId()));
        if (call != null) {
            call.inbox.add(frame);
        } else if (frame.requestId() == Protocol.NO_REQUEST && frame.type() == Protocol.ERROR) {
            keepUnsolicited(frame);
        } else {
            log.debug("agent {}: dropping {}, no call is waiting for it", name, frame);
        }
    }

    private void keepUnsolicited(Frame frame) {
        AgentErrorException error;
        try {
            error = decodeError(frame);
        } catch (AgentException e) {
            log.warn("agent {}: {}", name, e.getMessage());
            return;
        }
        unsolicitedErrorCount++;
        if (unsolicitedErrorCount <= UNSOLICITED_ERRORS_WARNED) {
            String more = unsolicitedErrorCount == UNSOLICITED_ERRORS_WARNED
                    ? " (further errors that answer no request are logged at debug level)" : "";
            log.warn("agent {} reports: {}{}", name, error.getMessage(), more);
        } else {
            log.debug("agent {} reports: {}", name, error.getMessage());
        }
        while (!unsolicitedErrors.offer(error)) {
            unsolicitedErrors.poll();
        }
    }

    /** Records the first reason the connection is gone and wakes every pending call. */
    private AgentDisconnectedException disconnect(AgentDisconnectedException reason) {
        if (!disconnected.compareAndSet(null, reason)) {
            return disconnected.get();
        }
        if (shutdownAcknowledged || reason.getCause() == null) {
            log.debug("agent {}: {}", name, reason.getMessage());
        } else {
            log.warn("agent {}: {}", name, reason.getMessage());
        }
        pending.values().forEach(call -> call.inbox.add(GONE));
        return reason;
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing {} failed: {}", channel, e.toString());
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis < 1000 ? millis + "ms" : millis / 1000.0 + "s";
    }

    private static String abbreviate(String command) {
        String oneLine = command.replace('\n', ' ');
        return oneLine.length() <= MAX_COMMAND_IN_MESSAGES ? oneLine
                : oneLine.substring(0, MAX_COMMAND_IN_MESSAGES) + "…";
    }

    /** A request waiting for its replies; closing it stops routing replies to it. */
    private final class Call implements AutoCloseable {
        final int channel;
        final int requestId;
        final long key;
        final String what;
        final BlockingQueue<Frame> inbox;

        Call(int channel, int requestId, String what) {
            this(channel, requestId, what, new LinkedBlockingQueue<>());
        }

        /** A call whose replies go to another call's inbox: a CANCEL and the request it cancels. */
        Call(int channel, int requestId, String what, BlockingQueue<Frame> inbox) {
            this.channel = channel;
            this.requestId = requestId;
            this.key = key(channel, requestId);
            this.what = what;
            this.inbox = inbox;
        }

        Frame frame(int type, int flags, byte[] payload) {
            return new Frame(type, flags, channel, requestId, payload);
        }

        static long key(int channel, int requestId) {
            return (long) channel << 32 | (requestId & 0xFFFF_FFFFL);
        }

        /** True when the agent already answered, e.g. refused a WRITE_FILE before its data was sent. */
        boolean hasFinalReply() {
            return inbox.stream().anyMatch(frame -> frame == GONE || Protocol.isFinal(frame.type()));
        }

        @Override
        public void close() {
            pending.remove(key, this);
        }
    }

    /** Writes each buffer to a stream and flushes it: frames must not wait in a stream's buffer. */
    private static final class FlushingChannel implements WritableByteChannel {
        private final OutputStream out;
        private volatile boolean open = true;

        FlushingChannel(OutputStream out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            int count = source.remaining();
            if (source.hasArray()) {
                out.write(source.array(), source.arrayOffset() + source.position(), count);
                source.position(source.limit());
            } else {
                byte[] bytes = new byte[count];
                source.get(bytes);
                out.write(bytes);
            }
            out.flush();
            return count;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            out.close();
        }
    }
}
