package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The {@code accel} setting: which QEMU accelerator to use. */
@API(status = STABLE)
public enum AccelMode {
    /** KVM when it is usable on this host, TCG otherwise. */
    AUTO,
    /** Always KVM. */
    KVM,
    /** Always TCG (pure emulation). */
    TCG;

    /** The lower-case name used in files, parameters and the environment. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "auto", "kvm" or "tcg" (case-insensitive, surrounding blanks ignored). */
    public static Optional<AccelMode> parse(String text) {
        String wanted = text.strip();
        return Arrays.stream(values()).filter(mode -> mode.value().equalsIgnoreCase(wanted)).findFirst();
    }
}
