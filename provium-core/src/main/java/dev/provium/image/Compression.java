package dev.provium.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * The compressions a kernel build uses for its payload (and modules for their files), recognised by magic.
 * Every decoder reads exactly one stream and ignores what follows, so trailing padding is harmless.
 */
enum Compression {
    GZIP(bytes(0x1F, 0x8B), false),
    XZ(bytes(0xFD, '7', 'z', 'X', 'Z', 0x00), true),
    ZSTD(bytes(0x28, 0xB5, 0x2F, 0xFD), true),
    LZ4_LEGACY(bytes(0x02, 0x21, 0x4C, 0x18), true),
    BZIP2(bytes('B', 'Z', 'h'), true),
    /** The "lzma alone" format: properties byte 0x5D, then a dictionary size; no real magic. */
    LZMA(bytes(0x5D, 0x00, 0x00), true),
    /** lzop: recognised so the fallback can say why, but no Java library decodes it. */
    LZO(bytes(0x89, 'L', 'Z', 'O'), true);

    private final byte[] magic;
    private final boolean kernelAppendsSize;

    Compression(byte[] magic, boolean kernelAppendsSize) {
        this.magic = magic;
        this.kernelAppendsSize = kernelAppendsSize;
    }

    static Optional<Compression> detect(byte[] data) {
        return Arrays.stream(values()).filter(c -> c.matches(data)).findFirst();
    }

    /** For module files: by suffix (.ko.xz, .ko.zst, .ko.gz); empty for a plain .ko. */
    static Optional<Compression> forModuleFile(String fileName) {
        if (fileName.endsWith(".ko.xz")) {
            return Optional.of(XZ);
        } else if (fileName.endsWith(".ko.zst")) {
            return Optional.of(ZSTD);
        } else if (fileName.endsWith(".ko.gz")) {
            return Optional.of(GZIP);
        }
        return Optional.empty();
    }

    /**
     * Whether the kernel build appends the 4-byte uncompressed size after this compressed stream
     * (arch/x86/boot/compressed/Makefile: every "*_with_size" rule). gzip carries it as its own trailer.
     */
    boolean kernelAppendsSize() {
        return kernelAppendsSize;
    }

    boolean supported() {
        return this != LZO;
    }

    boolean matches(byte[] data) {
        return data.length >= magic.length && Arrays.equals(data, 0, magic.length, magic, 0, magic.length);
    }

    InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GzipCompressorInputStream(in);
            case XZ -> new SingleXZInputStream(in);
            case ZSTD -> new ZstdCompressorInputStream(in);
            case LZ4_LEGACY -> new Lz4LegacyInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in);
            case LZMA -> new LZMAInputStream(in);
            case LZO -> throw new IOException("lzo (lzop) compression is not supported");
        };
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
