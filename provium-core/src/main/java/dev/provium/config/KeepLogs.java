package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The {@code keep_logs} setting: when a VM's console log and run files are kept after it ends. */
@API(status = STABLE)
public enum KeepLogs {
    /** Keep them for files that had a failure (default). */
    FAILED,
    /** Always keep them. */
    ALWAYS,
    /** Never keep them. */
    NEVER;

    /** The lower-case name used in files and parameters. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "failed", "always" or "never" (case-insensitive, surrounding blanks ignored). */
    public static Optional<KeepLogs> parse(String text) {
        String wanted = text.strip();
        return Arrays.stream(values()).filter(mode -> mode.value().equalsIgnoreCase(wanted)).findFirst();
    }
}
