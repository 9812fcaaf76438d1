package dev.provium.internal.agent;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Byte sequences for fuzzing the agent: valid frames, mutated frames, headers whose length lies, and
 * garbage. It never makes a valid request that acts (EXEC, WRITE_FILE, SHUTDOWN, SYSCALL, BACKGROUND,
 * SPAWN, ...): a fuzzer must not run commands or system calls, write files or stop the agent.
 */
final class FrameFuzzer {
    private static final int[] HARMLESS_TYPES = {
        Protocol.HELLO, Protocol.DATA, Protocol.READ_FILE, Protocol.PING, Protocol.CANCEL,
        Protocol.HELLO_OK, Protocol.OUTPUT, Protocol.PONG, Protocol.ERROR, Protocol.CANCEL_STATUS,
        0x00, 0x11, 0x42, 0x7F, 0xFE,
    };

    private final Random random;

    FrameFuzzer(Random random) {
        this.random = random;
    }

    byte[] next() {
        return switch (random.nextInt(4)) {
            case 0 -> FrameWriter.encode(harmlessFrame());
            case 1 -> mutate(FrameWriter.encode(harmlessFrame()));
            case 2 -> lyingHeader();
            default -> garbage();
        };
    }

    private Frame harmlessFrame() {
        int type = HARMLESS_TYPES[random.nextInt(HARMLESS_TYPES.length)];
        byte[] payload;
        if (type == Protocol.READ_FILE) {
            payload = new PayloadBuilder().str("/nonexistent/fuzz/" + random.nextInt(1000)).build();
        } else if (type == Protocol.CANCEL && random.nextBoolean()) {
            // Well formed: it may cancel a fuzzed request still waiting on its channel, which is harmless.
            payload = new PayloadBuilder().u16(random.nextInt(4)).u32(random.nextInt() & 0xFFFF_FFFFL).build();
        } else {
            payload = bytes(random.nextInt(10) == 0 ? random.nextInt(100_000) : random.nextInt(64));
        }
        int channel = random.nextInt(8) == 0 ? random.nextInt(0x10000) : Protocol.AGENT_CHANNEL;
        return new Frame(type, random.nextInt(4) == 0 ? random.nextInt(256) : 0, channel, random.nextInt(), payload);
    }

    private byte[] mutate(byte[] frame) {
        byte[] mutated = frame.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = random.nextInt(3); i >= 0; i--) {
                    mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            default -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int cut = random.nextInt(mutated.length);
                out.write(mutated, 0, cut);
                out.writeBytes(garbage());
                out.write(mutated, cut, mutated.length - cut);
                mutated = out.toByteArray();
            }
        }
        return mutated;
    }

    /** A header with a good CRC whose length is not the number of bytes that follow. */
    private byte[] lyingHeader() {
        int type = HARMLESS_TYPES[random.nextInt(HARMLESS_TYPES.length)];
        int length = switch (random.nextInt(4)) {
            case 0 -> Protocol.MAX_PAYLOAD + 1 + random.nextInt(1000);
            case 1 -> random.nextInt();
            default -> random.nextInt(5000);
        };
        byte[] payload = bytes(random.nextInt(2000));
        return FrameCodecTest.concat(FrameCodecTest.header(type, random.nextInt(), length), payload);
    }

    private byte[] garbage() {
        byte[] garbage = bytes(random.nextInt(3000));
        if (garbage.length > 8 && random.nextBoolean()) {
            System.arraycopy(Protocol.MAGIC, 0, garbage, random.nextInt(garbage.length - 4), 4);
        }
        return garbage;
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
