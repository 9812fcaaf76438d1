package dev.provium.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kernel release strings: reading them from kernel files, and ordering them as versions. */
final class KernelVersions {

    /** Orders "6.1.0-9-amd64" before "6.1.0-56-amd64": digit runs compare as numbers, the rest as text. */
    static final Comparator<String> ORDER = KernelVersions::compare;

    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");
    private static final int MAX_VERSION_LENGTH = 256;
    private static final byte[] BANNER = "Linux version ".getBytes(StandardCharsets.US_ASCII);

    private KernelVersions() {
    }

    /** From the bzImage setup header, else from the "Linux version" banner of an ELF vmlinux. */
    static Optional<String> read(Path kernelFile) throws IOException {
        Optional<BzImage> bzImage = BzImage.read(kernelFile);
        if (bzImage.isPresent()) {
            return bzImage.get().kernelVersion();
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(kernelFile)) {
            head = in.readNBytes(4);
        }
        return Elf.hasMagic(head) ? bannerVersion(kernelFile) : Optional.empty();
    }

    /** Scans the file in windows that overlap by more than a banner's length, so no match is split. */
    private static Optional<String> bannerVersion(Path elf) throws IOException {
        int window = 1 << 20;
        int overlap = BANNER.length + MAX_VERSION_LENGTH;
        byte[] buffer = new byte[window + overlap];
        try (InputStream in = Files.newInputStream(elf)) {
            int filled = in.readNBytes(buffer, 0, buffer.length);
            while (true) {
                boolean lastWindow = filled < buffer.length;
                int searchEnd = lastWindow ? filled : window;
                int match = indexOf(buffer, 0, searchEnd, filled);
                while (match >= 0) {
                    Optional<String> version = versionWord(buffer, match + BANNER.length, filled);
                    if (version.isPresent()) {
                        return version;
                    }
                    match = indexOf(buffer, match + 1, searchEnd, filled);
                }
                if (lastWindow) {
                    return Optional.empty();
                }
                System.arraycopy(buffer, window, buffer, 0, overlap);
                filled = overlap + in.readNBytes(buffer, overlap, window);
            }
        }
    }

    /** Index in [from, searchEnd) where a whole banner starts within the first {@code filled} bytes. */
    private static int indexOf(byte[] buffer, int from, int searchEnd, int filled) {
        outer:
        for (int i = from; i < searchEnd && i + BANNER.length <= filled; i++) {
            for (int j = 0; j < BANNER.length; j++) {
                if (buffer[i + j] != BANNER[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Optional<String> versionWord(byte[] buffer, int start, int filled) {
        int end = start;
        while (end < filled && end - start < MAX_VERSION_LENGTH && buffer[end] > ' ' && buffer[end] < 0x7F) {
            end++;
        }
        boolean looksLikeVersion = end > start && Character.isDigit(buffer[start]);
        return looksLikeVersion
                ? Optional.of(new String(buffer, start, end - start, StandardCharsets.US_ASCII))
                : Optional.empty();
    }

    private static int compare(String left, String right) {
        List<String> a = chunks(left);
        List<String> b = chunks(right);
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareChunk(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareChunk(String a, String b) {
        boolean numbers = Character.isDigit(a.charAt(0)) && Character.isDigit(b.charAt(0));
        if (!numbers) {
            return a.compareTo(b);
        }
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static List<String> chunks(String version) {
        List<String> result = new ArrayList<>();
        Matcher matcher = CHUNK.matcher(version);
        while (matcher.find()) {
            result.add(matcher.group());
        }
        return result;
    }
}
