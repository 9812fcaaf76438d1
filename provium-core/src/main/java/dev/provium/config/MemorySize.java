package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory written like QEMU's {@code -m}: a whole number with a K, M, G or T suffix
 * ("512M", "1G"). It must be a whole number of MiB, because that is what we pass to QEMU.
 */
@API(status = STABLE)
public record MemorySize(long bytes) {
    private static final long MIB = 1L << 20;
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12})\\s*([KMGT])(?:i?B)?", Pattern.CASE_INSENSITIVE);

    public MemorySize {
        if (bytes <= 0 || bytes % MIB != 0) {
            throw new IllegalArgumentException("memory size must be a positive whole number of MiB, got " + bytes + " bytes");
        }
    }

    /**
     * Parses "512M", "1G", "2048K", "1T" (suffix case-insensitive, optional "iB"/"B").
     *
     * @throws IllegalArgumentException with a message that quotes the text and shows the expected form
     */
    public static MemorySize parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid memory size '" + text + "': expected a number with a unit, like \"512M\" or \"2G\"");
        }
        long number = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        if (number == 0 || number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("invalid memory size '" + text + "': must be more than zero and less than 8 EiB");
        }
        long bytes = number << shift;
        if (bytes % MIB != 0) {
            throw new IllegalArgumentException("invalid memory size '" + text + "': must be a whole number of MiB");
        }
        return new MemorySize(bytes);
    }

    public static MemorySize ofMebibytes(long mebibytes) {
        return new MemorySize(mebibytes * MIB);
    }

    public long mebibytes() {
        return bytes / MIB;
    }

    /** The QEMU {@code -m} form, e.g. "512M" or "2G". */
    @Override
    public String toString() {
        long mebibytes = mebibytes();
        return mebibytes % 1024 == 0 ? (mebibytes / 1024) + "G" : mebibytes + "M";
    }
}
