package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void encodesTheHeaderLittleEndianWithZlibsCrc() {
        // Expected bytes computed with Python's zlib.crc32 and struct.pack('<BBHII', ...).
        Frame frame = new Frame(Protocol.PING, Protocol.FLAG_MORE, 3, 0x01020304, "hi".getBytes());

        assertThat(HexFormat.of().formatHex(FrameWriter.encode(frame)))
                .isEqualTo("5052564d070103000403020102000000777eb7166869");
    }

    @Test
    void framesRoundTrip() throws IOException {
        List<Frame> frames = List.of(
                Frame.of(Protocol.PING, 1, new byte[0]),
                new Frame(Protocol.DATA, Protocol.FLAG_MORE, 0xFFFF, 0xFFFF_FFFF, randomBytes(1, 70_000)),
                new Frame(Protocol.ERROR, 0, 7, 42, randomBytes(2, 3)),
                Frame.of(Protocol.DATA_REPLY, 9, randomBytes(3, Protocol.MAX_DATA_CHUNK)));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(stream));
        for (Frame frame : frames) {
            writer.write(frame);
        }

        FrameReader reader = readerOf(stream.toByteArray());
        List<Frame> read = new ArrayList<>();
        Frame frame;
        while ((frame = reader.read()) != null) {
            read.add(frame);
        }

        assertThat(read).containsExactlyElementsOf(frames);
        assertThat(reader.skippedBytes()).isZero();
    }

    @Test
    void readsFramesThatArriveOneByteAtATime() throws IOException {
        Frame first = Frame.of(Protocol.PONG, 5, randomBytes(4, 100));
        Frame second = Frame.of(Protocol.OK, 6, new byte[0]);
        FrameReader reader = new FrameReader(trickle(concat(FrameWriter.encode(first), FrameWriter.encode(second))));

        assertThat(reader.read()).isEqualTo(first);
        assertThat(reader.read()).isEqualTo(second);
        assertThat(reader.read()).isNull();
    }

    @Test
    void aFrameWithABadHeaderCrcIsSkippedAndTheNextOneIsRead() throws IOException {
        byte[] corrupt = FrameWriter.encode(Frame.of(Protocol.PONG, 1, "lost".getBytes()));
        corrupt[16] ^= 0x01;
        Frame good = Frame.of(Protocol.PONG, 2, "kept".getBytes());
        FrameReader reader = readerOf(concat(corrupt, FrameWriter.encode(good)));

        assertThat(reader.read()).isEqualTo(good);
        assertThat(reader.skippedBytes()).isEqualTo(corrupt.length);
    }

    @Test
    void aChangedHeaderFieldFailsTheCrc() throws IOException {
        byte[] corrupt = FrameWriter.encode(Frame.of(Protocol.PONG, 1, new byte[0]));
        corrupt[8] = 2;  // request id 1 -> 2 without a new CRC
        Frame good = Frame.of(Protocol.PONG, 3, new byte[0]);

        FrameReader reader = readerOf(concat(corrupt, FrameWriter.encode(good)));

        assertThat(reader.read()).isEqualTo(good);
    }

    @Test
    void garbageWithFalseMagicsIsSkipped() throws IOException {
        byte[] garbage = "xxPRVMPRVMPRVM0123456789abcdefPRV".getBytes();
        Frame good = Frame.of(Protocol.OK, 4, new byte[0]);
        FrameReader reader = readerOf(concat(garbage, FrameWriter.encode(good)));

        assertThat(reader.read()).isEqualTo(good);
        assertThat(reader.skippedBytes()).isEqualTo(garbage.length);
    }

    @Test
    void aMagicInsideAPayloadIsData() throws IOException {
        byte[] inner = FrameWriter.encode(Frame.of(Protocol.PONG, 9, new byte[0]));
        Frame outer = Frame.of(Protocol.DATA_REPLY, 8, inner);

        FrameReader reader = readerOf(FrameWriter.encode(outer));

        assertThat(reader.read()).isEqualTo(outer);
        assertThat(reader.read()).isNull();
    }

    @Test
    void aHeaderOverTheCapIsSkippedAsGarbage() throws IOException {
        byte[] oversized = header(Protocol.DATA_REPLY, 1, Protocol.MAX_PAYLOAD + 1);
        Frame good = Frame.of(Protocol.OK, 2, new byte[0]);
        FrameReader reader = readerOf(concat(oversized, FrameWriter.encode(good)));

        assertThat(reader.read()).isEqualTo(good);
        assertThat(reader.skippedBytes()).isEqualTo(Protocol.HEADER_SIZE);
    }

    @Test
    void aPayloadOfExactlyTheCapIsRead() throws IOException {
        Frame largest = Frame.of(Protocol.DATA_REPLY, 1, new byte[Protocol.MAX_PAYLOAD]);

        assertThat(readerOf(FrameWriter.encode(largest)).read()).isEqualTo(largest);
    }

    @Test
    void framesOverTheCapCannotBeMade() {
        assertThatThrownBy(() -> Frame.of(Protocol.DATA, 1, new byte[Protocol.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload of 16777217 bytes is over the protocol's cap of 16777216");
    }

    @Test
    void headerFieldsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> new Frame(0x100, 0, 0, 1, new byte[0]))
                .hasMessage("frame type 256 is not a u8");
        assertThatThrownBy(() -> new Frame(1, 0, 0x10000, 1, new byte[0]))
                .hasMessage("channel 65536 is not a u16");
    }

    @Test
    void theStreamEndingBetweenFramesIsTheEnd() throws IOException {
        assertThat(readerOf(new byte[0]).read()).isNull();
    }

    @Test
    void theStreamEndingInsideAHeaderIsAnError() {
        byte[] partial = java.util.Arrays.copyOf(FrameWriter.encode(Frame.of(Protocol.OK, 1, new byte[0])), 11);

        assertThatThrownBy(() -> readerOf(partial).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside a frame header (11 bytes left over)");
    }

    @Test
    void theStreamEndingInsideAPayloadIsAnError() {
        byte[] whole = FrameWriter.encode(Frame.of(Protocol.PONG, 1, new byte[100]));
        byte[] partial = java.util.Arrays.copyOf(whole, Protocol.HEADER_SIZE + 40);

        assertThatThrownBy(() -> readerOf(partial).read())
                .isInstanceOf(EOFException.class)
                .hasMessage("stream ended inside a PONG frame after 40 of 100 payload bytes");
    }

    @Test
    void payloadFieldsRoundTrip() {
        byte[] payload = new PayloadBuilder()
                .u8(0xFE).u16(0xFFFE).u32(0xFFFF_FFFEL).i32(-2).u64(-1L)
                .bytes(new byte[] {0, 1, 2}).str("päth").rest("tail".getBytes())
                .build();
        PayloadReader fields = new PayloadReader(payload, "TEST");

        assertThat(fields.u8("a")).isEqualTo(0xFE);
        assertThat(fields.u16("b")).isEqualTo(0xFFFE);
        assertThat(fields.u32("c")).isEqualTo(0xFFFF_FFFEL);
        assertThat(fields.i32("d")).isEqualTo(-2);
        assertThat(fields.u64("e")).isEqualTo(-1L);
        assertThat(fields.bytes("f")).containsExactly(0, 1, 2);
        assertThat(fields.str("g")).isEqualTo("päth");
        assertThat(fields.rest()).isEqualTo("tail".getBytes());
        fields.end();
    }

    @Test
    void payloadIntegersAreLittleEndian() {
        byte[] payload = new PayloadBuilder().u16(0x0102).u32(0x03040506L).str("ab").build();

        assertThat(HexFormat.of().formatHex(payload)).isEqualTo("0201" + "06050403" + "02000000" + "6162");
    }

    @Test
    void aShortPayloadNamesTheFieldAndOffset() {
        PayloadReader fields = new PayloadReader(new byte[] {1, 0, 0, 0, 7, 0}, "HELLO_OK");
        fields.u32("version");

        assertThatThrownBy(() -> fields.u32("pid"))
                .isInstanceOf(AgentException.class)
                .hasMessage("malformed HELLO_OK payload: u32 field 'pid' at offset 4 needs 4 bytes but only 2 are left");
    }

    @Test
    void aBytesFieldLongerThanThePayloadIsMalformed() {
        byte[] payload = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(10).put((byte) 1).array();

        assertThatThrownBy(() -> new PayloadReader(payload, "ERROR").str("message"))
                .isInstanceOf(AgentException.class)
                .hasMessage("malformed ERROR payload: bytes field 'message' at offset 0 announces 10 bytes"
                        + " but only 2 follow");
    }

    @Test
    void leftoverBytesAreMalformed() {
        PayloadReader fields = new PayloadReader(new byte[] {1, 2, 3}, "OK");
        fields.u8("first");

        assertThatThrownBy(fields::end)
                .isInstanceOf(AgentException.class)
                .hasMessage("malformed OK payload: 2 bytes left over after the last field (payload is 3 bytes)");
    }

    @Test
    void valuesThatDoNotFitTheirFieldAreRejected() {
        assertThatThrownBy(() -> new PayloadBuilder().u8(256)).hasMessage("256 does not fit in a u8");
        assertThatThrownBy(() -> new PayloadBuilder().u16(-1)).hasMessage("-1 does not fit in a u16");
        assertThatThrownBy(() -> new PayloadBuilder().u32(1L << 32)).hasMessage("4294967296 does not fit in a u32");
    }

    static byte[] header(int type, int requestId, int length) {
        ByteBuffer header = ByteBuffer.allocate(Protocol.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put(Protocol.MAGIC).put((byte) type).put((byte) 0).putShort((short) 0)
                .putInt(requestId).putInt(length);
        header.putInt(FrameWriter.headerCrc(header.array(), 0));
        return header.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(long seed, int count) {
        byte[] bytes = new byte[count];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static FrameReader readerOf(byte[] bytes) {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)));
    }

    /** A channel that hands out one byte per read, as a slow pipe might. */
    private static ReadableByteChannel trickle(byte[] bytes) {
        ByteBuffer source = ByteBuffer.wrap(bytes);
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer target) {
                if (!source.hasRemaining()) {
                    return -1;
                }
                target.put(source.get());
                return 1;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
