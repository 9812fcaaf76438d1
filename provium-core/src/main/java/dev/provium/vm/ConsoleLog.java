package dev.provium.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads the guest's serial console log: its last lines, and whether the kernel panicked. */
final class ConsoleLog {
    static final int TAIL_LINES = 20;
    private static final int TAIL_BYTES = 64 * 1024;
    private static final String PANIC = "Kernel panic";

    private volatile Path file;

    ConsoleLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The log was moved (kept in the log directory). */
    void movedTo(Path kept) {
        this.file = kept;
    }

    /** The last {@value #TAIL_LINES} lines, without carriage returns; empty when there is no log. */
    String tail() {
        List<String> lines = Arrays.asList(lastBytes().replace("\r", "").split("\n", -1));
        int from = Math.max(0, lines.size() - TAIL_LINES - 1);
        return String.join("\n", lines.subList(from, lines.size())).strip();
    }

    /** The console line that reports a kernel panic, e.g. "Kernel panic - not syncing: …". */
    Optional<String> panicLine() {
        return lastBytes().lines()
                .filter(line -> line.contains(PANIC))
                .findFirst()
                .map(line -> line.substring(line.indexOf(PANIC)).strip());
    }

    private String lastBytes() {
        Path file = this.file;
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(console log unreadable: " + e.getMessage() + ")";
        }
    }
}
