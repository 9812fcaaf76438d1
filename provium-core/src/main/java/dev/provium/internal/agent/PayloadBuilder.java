package dev.provium.internal.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes payload fields (PROTOCOL.md §2): little-endian integers, length-prefixed bytes and strings. */
final class PayloadBuilder {
    private ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

    PayloadBuilder u8(int value) {
        checkRange("u8", value, 0xFF);
        room(1).put((byte) value);
        return this;
    }

    PayloadBuilder u16(int value) {
        checkRange("u16", value, 0xFFFF);
        room(2).putShort((short) value);
        return this;
    }

    PayloadBuilder u32(long value) {
        checkRange("u32", value, 0xFFFF_FFFFL);
        room(4).putInt((int) value);
        return this;
    }

    PayloadBuilder i32(int value) {
        room(4).putInt(value);
        return this;
    }

    /** Any bit pattern: a u64 above Long.MAX_VALUE is passed as the negative long with the same bits. */
    PayloadBuilder u64(long value) {
        room(8).putLong(value);
        return this;
    }

    PayloadBuilder bytes(byte[] value) {
        u32(value.length);
        return rest(value);
    }

    PayloadBuilder str(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes with no length: for a last field described as "the rest of the payload". */
    PayloadBuilder rest(byte[] value) {
        room(value.length).put(value);
        return this;
    }

    byte[] build() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private ByteBuffer room(int count) {
        if (buffer.remaining() < count) {
            int capacity = Math.max(buffer.capacity() * 2, buffer.position() + count);
            ByteBuffer bigger = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
            bigger.put(buffer.flip());
            buffer = bigger;
        }
        return buffer;
    }

    private static void checkRange(String field, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(value + " does not fit in a " + field);
        }
    }
}
