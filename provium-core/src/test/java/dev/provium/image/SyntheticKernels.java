package dev.provium.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.LZMAOutputStream;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/** Small stand-ins for kernel files, laid out as the kernel build lays out the real ones. */
final class SyntheticKernels {

    static final String ELF_VERSION = "6.6.6-synthetic";

    private SyntheticKernels() {
    }

    /**
     * A little-endian ELF64 with one PT_LOAD and one PT_NOTE segment. The note segment holds a GNU build-id
     * note, plus the Xen PHYS32_ENTRY note when {@code pvh}. The loaded bytes carry a "Linux version" banner.
     */
    static byte[] vmlinux(boolean pvh) {
        ByteBuffer notes = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        note(notes, "GNU", 3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        if (pvh) {
            note(notes, "Xen", VmlinuxExtractor.XEN_ELFNOTE_PHYS32_ENTRY, new byte[] {0x00, 0x10, 0x00, 0x01});
        }
        notes.flip();
        byte[] text = ("\0\0junk Linux version \0Linux version " + ELF_VERSION + " (test@host) #1 SMP\0")
                .getBytes(StandardCharsets.US_ASCII);
        int phnum = 2;
        int notesOffset = 64 + 56 * phnum;
        int textOffset = notesOffset + notes.remaining();
        ByteBuffer elf = ByteBuffer.allocate(textOffset + text.length + 4096).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0});
        elf.position(16);
        elf.putShort((short) 2).putShort((short) 62).putInt(1); // ET_EXEC, EM_X86_64, EV_CURRENT
        elf.putLong(0x1000000).putLong(64).putLong(0); // entry, phoff, shoff
        elf.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) phnum);
        elf.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        programHeader(elf, 1, textOffset, text.length);
        programHeader(elf, Elf.PT_NOTE, notesOffset, notes.remaining());
        elf.put(notes).put(text);
        for (int i = 0; elf.hasRemaining(); i++) {
            elf.put((byte) (i * 31 + i / 7)); // some bytes that compress, but not to nothing
        }
        return elf.array();
    }

    /** An ELF64 executable with a PT_INTERP segment, like a dynamically linked program. */
    static byte[] dynamicExecutable() {
        byte[] interpreter = "/lib64/ld-linux-x86-64.so.2\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer elf = ByteBuffer.allocate(64 + 56 + interpreter.length).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0});
        elf.position(16);
        elf.putShort((short) 2).putShort((short) 62).putInt(1);
        elf.putLong(0x401000).putLong(64).putLong(0);
        elf.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1);
        elf.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        programHeader(elf, Elf.PT_INTERP, 64 + 56, interpreter.length);
        elf.put(interpreter);
        return elf.array();
    }

    /**
     * A bzImage whose payload is {@code compressed} (already including any appended size), with the version
     * string in the setup header.
     */
    static byte[] bzImage(byte[] compressed, String version) {
        int setupSects = 1;
        int protectedModeStart = (setupSects + 1) * 512;
        int payloadOffset = 16;
        ByteBuffer image = ByteBuffer.allocate(protectedModeStart + payloadOffset + compressed.length + 64)
                .order(ByteOrder.LITTLE_ENDIAN);
        image.put(0x1F1, (byte) setupSects);
        image.putShort(0x1FE, (short) 0xAA55);
        image.put(0x202, "HdrS".getBytes(StandardCharsets.US_ASCII));
        image.putShort(0x206, (short) 0x20F);
        image.putShort(0x20E, (short) 0x100);
        image.put(0x300, (version + " (test@host) #1 SMP\0").getBytes(StandardCharsets.US_ASCII));
        image.putInt(0x248, payloadOffset);
        image.putInt(0x24C, compressed.length);
        image.put(protectedModeStart + payloadOffset, compressed);
        return image.array();
    }

    /** The payload as the kernel build writes it: compressed, then the size unless the format carries it. */
    static byte[] kernelPayload(Compression compression, byte[] vmlinux) throws IOException {
        byte[] compressed = compress(compression, vmlinux);
        return compression.kernelAppendsSize() ? concat(compressed, littleEndian(vmlinux.length)) : compressed;
    }

    static byte[] compress(Compression compression, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        switch (compression) {
            case GZIP -> write(new GzipCompressorOutputStream(bytes), data);
            case XZ -> write(new XZOutputStream(bytes, new FilterOptions[] {new X86Options(), new LZMA2Options()},
                    XZ.CHECK_CRC32), data); // as scripts/xz_wrap.sh does for x86
            case ZSTD -> write(new ZstdCompressorOutputStream(bytes), data);
            case LZ4_LEGACY -> bytes.write(lz4Legacy(data, 8 << 20));
            case BZIP2 -> write(new BZip2CompressorOutputStream(bytes), data);
            case LZMA -> write(new LZMAOutputStream(bytes, new LZMA2Options(), -1), data);
            case LZO -> throw new IllegalArgumentException("no lzo compressor in Java");
        }
        return bytes.toByteArray();
    }

    /** The "lz4 -l" layout: magic, then (u32 length, raw LZ4 block) for every {@code blockSize} of input. */
    static byte[] lz4Legacy(byte[] data, int blockSize) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(littleEndian(Lz4LegacyInputStream.MAGIC));
        for (int start = 0; start < data.length; start += blockSize) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            try (OutputStream out = new BlockLZ4CompressorOutputStream(block)) {
                out.write(data, start, Math.min(blockSize, data.length - start));
            }
            frame.write(littleEndian(block.size()));
            block.writeTo(frame);
        }
        return frame.toByteArray();
    }

    static byte[] littleEndian(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void write(OutputStream out, byte[] data) throws IOException {
        try (out) {
            out.write(data);
        }
    }

    private static void note(ByteBuffer into, String name, int type, byte[] desc) {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        into.putInt(nameBytes.length).putInt(desc.length).putInt(type);
        into.put(nameBytes).put(new byte[(4 - nameBytes.length % 4) % 4]);
        into.put(desc).put(new byte[(4 - desc.length % 4) % 4]);
    }

    private static void programHeader(ByteBuffer elf, int type, long offset, long size) {
        elf.putInt(type).putInt(4).putLong(offset).putLong(0).putLong(0).putLong(size).putLong(size).putLong(4);
    }
}
