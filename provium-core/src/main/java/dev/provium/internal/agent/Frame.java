package dev.provium.internal.agent;

import java.util.Arrays;

/**
 * One frame of the wire protocol. {@code channel} is a u16 and {@code flags}/{@code type} are u8,
 * held in ints; {@code requestId} is a u32 held as its bit pattern.
 */
record Frame(int type, int flags, int channel, int requestId, byte[] payload) {

    Frame {
        if (type < 0 || type > 0xFF) {
            throw new IllegalArgumentException("frame type " + type + " is not a u8");
        }
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("frame flags " + flags + " are not a u8");
        }
        if (channel < 0 || channel > 0xFFFF) {
            throw new IllegalArgumentException("channel " + channel + " is not a u16");
        }
        if (payload.length > Protocol.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length
                    + " bytes is over the protocol's cap of " + Protocol.MAX_PAYLOAD);
        }
    }

    static Frame of(int type, int requestId, byte[] payload) {
        return new Frame(type, 0, Protocol.AGENT_CHANNEL, requestId, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && type == f.type && flags == f.flags && channel == f.channel
                && requestId == f.requestId && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + flags) * 31 + channel) * 31 + requestId + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return Protocol.typeName(type) + "(flags=" + flags + ", channel=" + channel + ", id="
                + Integer.toUnsignedString(requestId) + ", " + payload.length + " payload bytes)";
    }
}
