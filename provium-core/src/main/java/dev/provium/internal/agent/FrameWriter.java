package dev.provium.internal.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32;

/** Writes whole frames to a channel; one frame is one {@code write} sequence, never interleaved. */
final class FrameWriter {
    private final WritableByteChannel out;

    FrameWriter(WritableByteChannel out) {
        this.out = out;
    }

    synchronized void write(Frame frame) throws IOException {
        writeRaw(encode(frame));
    }

    /** Writes bytes as they are: for tests that send what no well-behaved host would. */
    synchronized void writeRaw(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    static byte[] encode(Frame frame) {
        ByteBuffer buffer = ByteBuffer.allocate(Protocol.HEADER_SIZE + frame.payload().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(Protocol.MAGIC)
                .put((byte) frame.type())
                .put((byte) frame.flags())
                .putShort((short) frame.channel())
                .putInt(frame.requestId())
                .putInt(frame.payload().length);
        buffer.putInt(headerCrc(buffer.array(), 0));
        buffer.put(frame.payload());
        return buffer.array();
    }

    /** CRC-32 of the 16 header bytes before the CRC field, starting at {@code offset}. */
    static int headerCrc(byte[] bytes, int offset) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, Protocol.HEADER_SIZE - 4);
        return (int) crc.getValue();
    }
}
