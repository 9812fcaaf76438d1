package dev.provium.internal.agent;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads frames from a blocking channel. Bytes that do not start a valid header (magic, header CRC,
 * length within the cap) are skipped one at a time until the next one that does: the reader
 * resynchronises after garbage instead of failing.
 */
final class FrameReader {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ReadableByteChannel in;
    /** In read mode: the bytes between position and limit are read but not consumed. */
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).order(ByteOrder.LITTLE_ENDIAN).flip();
    private long skippedBytes;

    FrameReader(ReadableByteChannel in) {
        this.in = in;
    }

    /**
     * Returns the next frame, or null when the stream ends between frames.
     *
     * @throws EOFException when the stream ends inside a frame
     */
    Frame read() throws IOException {
        while (fill(Protocol.HEADER_SIZE)) {
            int at = buffer.position();
            if (isValidHeader(at)) {
                return readFrame(at);
            }
            skipToNextMagicCandidate();
        }
        if (buffer.hasRemaining()) {
            int left = buffer.remaining();
            skippedBytes += left;
            buffer.position(buffer.limit());
            throw new EOFException("stream ended inside a frame header (" + left + " bytes left over)");
        }
        return null;
    }

    /** All bytes skipped so far because they were not part of a valid frame. */
    long skippedBytes() {
        return skippedBytes;
    }

    private boolean isValidHeader(int at) {
        for (int i = 0; i < Protocol.MAGIC.length; i++) {
            if (buffer.get(at + i) != Protocol.MAGIC[i]) {
                return false;
            }
        }
        int length = buffer.getInt(at + 12);
        return Integer.compareUnsigned(length, Protocol.MAX_PAYLOAD) <= 0
                && buffer.getInt(at + 16) == FrameWriter.headerCrc(buffer.array(), at);
    }

    /** Drops the first byte and every following byte that cannot begin the magic. */
    private void skipToNextMagicCandidate() {
        int from = buffer.position();
        int at = from + 1;
        while (at < buffer.limit() && buffer.get(at) != Protocol.MAGIC[0]) {
            at++;
        }
        buffer.position(at);
        skippedBytes += at - from;
    }

    private Frame readFrame(int at) throws IOException {
        int type = buffer.get(at + 4) & 0xFF;
        int flags = buffer.get(at + 5) & 0xFF;
        int channel = buffer.getShort(at + 6) & 0xFFFF;
        int requestId = buffer.getInt(at + 8);
        int length = buffer.getInt(at + 12);
        buffer.position(at + Protocol.HEADER_SIZE);

        byte[] payload = new byte[length];
        int buffered = Math.min(length, buffer.remaining());
        buffer.get(payload, 0, buffered);
        ByteBuffer rest = ByteBuffer.wrap(payload, buffered, length - buffered);
        while (rest.hasRemaining()) {
            if (in.read(rest) < 0) {
                throw new EOFException("stream ended inside a " + Protocol.typeName(type) + " frame after "
                        + rest.position() + " of " + length + " payload bytes");
            }
        }
        return new Frame(type, flags, channel, requestId, payload);
    }

    /** Reads until at least {@code count} bytes are buffered; false when the stream ends first. */
    private boolean fill(int count) throws IOException {
        while (buffer.remaining() < count) {
            buffer.compact();
            int read;
            try {
                read = in.read(buffer);
            } finally {
                buffer.flip();
            }
            if (read < 0) {
                return false;
            }
        }
        return true;
    }
}
