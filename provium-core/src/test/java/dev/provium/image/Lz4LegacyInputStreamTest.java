package dev.provium.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Lz4LegacyInputStreamTest {

    @Test
    void decodesWhatTheLz4ToolWritesWithDashL() throws IOException {
        byte[] expected = resource("lz4-legacy-sample.txt");
        byte[] compressed = resource("lz4-legacy-sample.txt.lz4"); // made with: lz4 -l (v1.9.4)

        assertThat(decode(compressed)).isEqualTo(expected);
    }

    @Test
    void decodesSeveralBlocksAndSkipsARepeatedMagicNumber() throws IOException {
        byte[] data = new byte[300_000];
        new Random(42).nextBytes(data);
        Arrays.fill(data, 100_000, 200_000, (byte) 'x');
        byte[] first = SyntheticKernels.lz4Legacy(Arrays.copyOfRange(data, 0, 150_000), 64 * 1024);
        byte[] second = SyntheticKernels.lz4Legacy(Arrays.copyOfRange(data, 150_000, data.length), 64 * 1024);

        assertThat(decode(SyntheticKernels.concat(first, second))).isEqualTo(data);
    }

    @Test
    void rejectsABadMagicNumber() {
        assertThatThrownBy(() -> decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(IOException.class)
                .hasMessage("not an LZ4 legacy stream (bad magic number)");
    }

    @Test
    void rejectsATruncatedBlock() throws IOException {
        byte[] frame = SyntheticKernels.lz4Legacy(new byte[10_000], 8 << 20);

        assertThatThrownBy(() -> decode(Arrays.copyOf(frame, frame.length - 3)))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("LZ4 legacy block truncated");
        assertThatThrownBy(() -> decode(SyntheticKernels.concat(frame, new byte[] {1, 0})))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("truncated inside a block header");
    }

    @Test
    void rejectsAnImpossibleBlockLength() {
        byte[] frame = SyntheticKernels.concat(SyntheticKernels.littleEndian(Lz4LegacyInputStream.MAGIC),
                SyntheticKernels.littleEndian(64 << 20));

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("is out of range");
    }

    private static byte[] decode(byte[] compressed) throws IOException {
        try (InputStream in = new Lz4LegacyInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Lz4LegacyInputStreamTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
