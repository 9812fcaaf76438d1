package dev.provium.internal.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes payload fields (PROTOCOL.md §2) of one frame. A payload shorter than its fields, or with
 * bytes left after the last one ({@link #end()}), is malformed: an {@link AgentException} that names
 * the frame type, the field and the offset.
 */
final class PayloadReader {
    private final ByteBuffer buffer;
    private final String frameName;

    PayloadReader(Frame frame) {
        this(frame.payload(), Protocol.typeName(frame.type()));
    }

    PayloadReader(byte[] payload, String frameName) {
        this.buffer = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        this.frameName = frameName;
    }

    int u8(String field) {
        need(1, "u8", field);
        return buffer.get() & 0xFF;
    }

    int u16(String field) {
        need(2, "u16", field);
        return buffer.getShort() & 0xFFFF;
    }

    long u32(String field) {
        need(4, "u32", field);
        return buffer.getInt() & 0xFFFF_FFFFL;
    }

    int i32(String field) {
        need(4, "i32", field);
        return buffer.getInt();
    }

    /** The u64's bit pattern; values above Long.MAX_VALUE come back negative. */
    long u64(String field) {
        need(8, "u64", field);
        return buffer.getLong();
    }

    byte[] bytes(String field) {
        int offset = buffer.position();
        long length = u32(field + " length");
        if (length > buffer.remaining()) {
            throw malformed("bytes field '" + field + "' at offset " + offset + " announces " + length
                    + " bytes but only " + buffer.remaining() + " follow");
        }
        byte[] value = new byte[(int) length];
        buffer.get(value);
        return value;
    }

    String str(String field) {
        return new String(bytes(field), StandardCharsets.UTF_8);
    }

    /** The rest of the payload, for a last field described that way. */
    byte[] rest() {
        byte[] value = Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        buffer.position(buffer.limit());
        return value;
    }

    /** Checks that no bytes are left after the last field. */
    void end() {
        if (buffer.hasRemaining()) {
            throw malformed(buffer.remaining() + " bytes left over after the last field (payload is "
                    + buffer.limit() + " bytes)");
        }
    }

    private void need(int size, String kind, String field) {
        if (buffer.remaining() < size) {
            throw malformed(kind + " field '" + field + "' at offset " + buffer.position() + " needs " + size
                    + " bytes but only " + buffer.remaining() + " are left");
        }
    }

    private AgentException malformed(String detail) {
        return new AgentException("malformed " + frameName + " payload: " + detail);
    }
}
