package dev.provium.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decompresses a bzImage's payload into the uncompressed {@code vmlinux} ELF and checks that it carries the
 * PVH entry note, which is what lets QEMU boot it directly.
 */
final class VmlinuxExtractor {

    /** XEN_ELFNOTE_PHYS32_ENTRY: the 32-bit PVH entry point QEMU looks for in an ELF kernel. */
    static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    static final String XEN_NOTE_NAME = "Xen";

    /** The kernel cannot be booted as an extracted vmlinux; the message says why. */
    static final class NotExtractable extends Exception {
        private static final long serialVersionUID = 1L;

        NotExtractable(String reason) {
            super(reason);
        }

        NotExtractable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private VmlinuxExtractor() {
    }

    static boolean hasPvhNote(Path elf) throws IOException {
        Optional<Elf> parsed = Elf.read(elf);
        return parsed.isPresent() && parsed.get().hasNote(XEN_NOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY);
    }

    /** Writes the vmlinux to {@code target} (created or truncated); on NotExtractable its content is junk. */
    static void extract(BzImage bzImage, Path target) throws IOException, NotExtractable {
        byte[] payload = bzImage.payload().orElseThrow(() -> new NotExtractable(
                "the bzImage header (boot protocol " + Integer.toHexString(bzImage.protocolVersion())
                        + ") does not locate a compressed payload"));
        Compression compression = Compression.detect(payload).orElseThrow(() -> new NotExtractable(
                "the payload's compression is not recognised (first bytes " + hex(payload, 6) + ")"));
        if (!compression.supported()) {
            throw new NotExtractable("the payload is " + compression.name().toLowerCase()
                    + "-compressed, which no Java library here decodes");
        }
        long expectedSize = Integer.toUnsignedLong(
                ByteBuffer.wrap(payload, payload.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        int streamLength = compression.kernelAppendsSize() ? payload.length - 4 : payload.length;
        long written = 0;
        try (InputStream in = decoder(compression, payload, streamLength);
             OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = read(in, buffer, compression)) >= 0) {
                out.write(buffer, 0, n); // a failure here is the cache's I/O problem: it propagates
                written += n;
            }
        }
        if ((written & 0xFFFF_FFFFL) != expectedSize) {
            throw new NotExtractable("the payload decompressed to " + written + " bytes, but the kernel records "
                    + expectedSize);
        }
        Optional<Elf> elf;
        try {
            elf = Elf.read(target);
        } catch (IOException e) {
            throw new NotExtractable("the decompressed payload is a broken ELF file: " + e.getMessage(), e);
        }
        if (elf.isEmpty()) {
            throw new NotExtractable("the decompressed payload is not an ELF file");
        }
        if (!elf.get().hasNote(XEN_NOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY)) {
            throw new NotExtractable("the kernel has no PVH entry note (built without CONFIG_PVH)");
        }
    }

    private static InputStream decoder(Compression compression, byte[] payload, int length)
            throws NotExtractable {
        try {
            return compression.decompress(new ByteArrayInputStream(payload, 0, length));
        } catch (IOException | RuntimeException e) {
            throw corrupt(compression, e);
        }
    }

    private static int read(InputStream in, byte[] buffer, Compression compression) throws NotExtractable {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            // decoders report corrupt input as IOException or as unchecked exceptions (zstd-jni)
            throw corrupt(compression, e);
        }
    }

    private static NotExtractable corrupt(Compression compression, Exception e) {
        return new NotExtractable("decompressing the " + compression.name().toLowerCase() + " payload failed: "
                + e, e);
    }

    private static String hex(byte[] data, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(count, data.length); i++) {
            text.append(String.format("%02x", data[i]));
        }
        return text.toString();
    }
}
