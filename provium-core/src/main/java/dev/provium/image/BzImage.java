package dev.provium.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * An x86 bzImage read through its setup header (Documentation/arch/x86/boot.rst): the kernel version
 * string and the location of the compressed kernel payload.
 */
final class BzImage {

    private static final int SETUP_SECTS = 0x1F1;
    private static final int BOOT_FLAG = 0x1FE;
    private static final int HEADER_MAGIC = 0x202;
    private static final int PROTOCOL_VERSION = 0x206;
    private static final int KERNEL_VERSION_POINTER = 0x20E;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24C;
    private static final int MIN_HEADER = PAYLOAD_LENGTH + 4;

    private final byte[] image;
    private final ByteBuffer header;

    private BzImage(byte[] image) {
        this.image = image;
        this.header = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Empty when the file has no bzImage setup header ("HdrS" magic and boot flag). */
    static Optional<BzImage> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Optional<BzImage> parse(byte[] image) {
        if (image.length < MIN_HEADER) {
            return Optional.empty();
        }
        BzImage bz = new BzImage(image);
        boolean hdrS = Arrays.equals(image, HEADER_MAGIC, HEADER_MAGIC + 4,
                "HdrS".getBytes(StandardCharsets.US_ASCII), 0, 4);
        boolean bootFlag = Short.toUnsignedInt(bz.header.getShort(BOOT_FLAG)) == 0xAA55;
        return hdrS && bootFlag ? Optional.of(bz) : Optional.empty();
    }

    int protocolVersion() {
        return Short.toUnsignedInt(header.getShort(PROTOCOL_VERSION));
    }

    /** The first word of the header's kernel_version string, e.g. "6.1.0-56-amd64". */
    Optional<String> kernelVersion() {
        int pointer = Short.toUnsignedInt(header.getShort(KERNEL_VERSION_POINTER));
        if (protocolVersion() < 0x200 || pointer == 0) {
            return Optional.empty();
        }
        int start = pointer + 0x200;
        int end = start;
        while (end < image.length && image[end] != 0 && image[end] != ' ' && end - start < 256) {
            end++;
        }
        if (end == start || end >= image.length) {
            return Optional.empty();
        }
        return Optional.of(new String(image, start, end - start, StandardCharsets.US_ASCII));
    }

    /**
     * The compressed payload (including the 4-byte uncompressed size the kernel build appends), or empty
     * when the header is too old to describe it or points outside the file.
     */
    Optional<byte[]> payload() {
        if (protocolVersion() < 0x208) {
            return Optional.empty();
        }
        int setupSects = Byte.toUnsignedInt(image[SETUP_SECTS]);
        long protectedModeStart = (long) ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
        long offset = protectedModeStart + Integer.toUnsignedLong(header.getInt(PAYLOAD_OFFSET));
        long length = Integer.toUnsignedLong(header.getInt(PAYLOAD_LENGTH));
        if (length < 4 || offset + length > image.length) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(image, (int) offset, (int) (offset + length)));
    }
}
