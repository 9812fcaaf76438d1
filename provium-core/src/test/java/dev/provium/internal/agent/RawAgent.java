package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The agent on the host with no {@link AgentClient} in between: the test writes frames and sees every frame
 * the agent sends, including those a client would drop because they answer no request in flight.
 */
final class RawAgent implements AutoCloseable {
    private final AgentProcess agent;
    private final OutputStream out;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private int nextId = 1;

    RawAgent(Path workDirectory, String name) {
        this(workDirectory, name, 0);
    }

    /** The agent with its address space limited to {@code kilobytes} (0: no limit). */
    RawAgent(Path workDirectory, String name, long kilobytes) {
        agent = AgentProcess.startWithoutClient(workDirectory, name, kilobytes);
        out = agent.process.getOutputStream();
        FrameReader reader = new FrameReader(Channels.newChannel(agent.process.getInputStream()));
        Thread thread = new Thread(() -> {
            try {
                Frame frame;
                while ((frame = reader.read()) != null) {
                    received.add(frame);
                }
            } catch (IOException e) {
                // The test closed the stream or the agent ended: the frames read so far are all there is.
            }
        }, "raw-agent-reader[" + name + "]");
        thread.setDaemon(true);
        thread.start();
    }

    AgentProcess process() {
        return agent;
    }

    int nextId() {
        return nextId++;
    }

    /** Sends the frames in one write, so the agent reads them together. */
    void send(Frame... frames) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            bytes.writeBytes(FrameWriter.encode(frame));
        }
        try {
            out.write(bytes.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the agent", e);
        }
    }

    /** The next frame the agent sends; fails when none comes within the timeout. */
    Frame next(Duration timeout) throws InterruptedException {
        Frame frame = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        assertThat(frame).as("a frame from the agent within %s", timeout).isNotNull();
        return frame;
    }

    /** Every frame the agent sends up to and including the final reply to {@code id} on {@code channel}. */
    List<Frame> until(int channel, int id, Duration timeout) throws InterruptedException {
        List<Frame> frames = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            frames.add(frame);
            if (frame.channel() == channel && frame.requestId() == id && Protocol.isFinal(frame.type())) {
                return frames;
            }
        }
    }

    /** The final reply to a request just sent (the frames before it must be its non-final replies). */
    Frame reply(int channel, int id, Duration timeout) throws InterruptedException {
        List<Frame> frames = until(channel, id, timeout);
        return frames.get(frames.size() - 1);
    }

    @Override
    public void close() {
        try {
            agent.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the agent", e);
        }
    }
}
