package dev.provium.image;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * The LZ4 "legacy" frame written by {@code lz4 -l}, which the kernel build uses: a magic number, then
 * blocks, each a little-endian u32 compressed length followed by one raw LZ4 block (at most 8 MiB of
 * output). commons-compress decodes the raw blocks but not this framing, which is all this class adds.
 * A repeated magic number (concatenated streams) is skipped, as the kernel's own decoder does.
 */
final class Lz4LegacyInputStream extends InputStream {

    static final int MAGIC = 0x184C2102;
    private static final int MAX_BLOCK_OUTPUT = 8 << 20;
    private static final int MAX_BLOCK_INPUT = MAX_BLOCK_OUTPUT + MAX_BLOCK_OUTPUT / 255 + 16;

    private final InputStream in;
    private InputStream block = InputStream.nullInputStream();

    Lz4LegacyInputStream(InputStream in) throws IOException {
        this.in = in;
        Integer magic = readLittleEndianInt();
        if (magic == null || magic != MAGIC) {
            throw new IOException("not an LZ4 legacy stream (bad magic number)");
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            int n = block.read(buffer, offset, length);
            if (n >= 0) {
                return n;
            }
            if (!nextBlock()) {
                return -1;
            }
        }
    }

    private boolean nextBlock() throws IOException {
        Integer size = readLittleEndianInt();
        while (size != null && size == MAGIC) {
            size = readLittleEndianInt();
        }
        if (size == null) {
            return false;
        }
        if (size <= 0 || size > MAX_BLOCK_INPUT) {
            throw new IOException("LZ4 legacy block length " + Integer.toUnsignedString(size)
                    + " is out of range (1.." + MAX_BLOCK_INPUT + ")");
        }
        byte[] compressed = in.readNBytes(size);
        if (compressed.length != size) {
            throw new EOFException("LZ4 legacy block truncated: expected " + size + " bytes, got "
                    + compressed.length);
        }
        block = new BlockLZ4CompressorInputStream(new ByteArrayInputStream(compressed));
        return true;
    }

    /** null at a clean end of input (no byte left); EOFException inside the four bytes. */
    private Integer readLittleEndianInt() throws IOException {
        byte[] word = in.readNBytes(4);
        if (word.length == 0) {
            return null;
        }
        if (word.length < 4) {
            throw new EOFException("LZ4 legacy stream truncated inside a block header");
        }
        return (word[0] & 0xFF) | (word[1] & 0xFF) << 8 | (word[2] & 0xFF) << 16 | (word[3] & 0xFF) << 24;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
