package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** A host image attached as a virtio block device (/dev/vdX in the guest, in attach order). */
@API(status = STABLE)
public record Disk(Path path, Format format, boolean readOnly) {
    public enum Format {
        RAW, QCOW2;

        /** The name QEMU uses in {@code format=}. */
        public String qemuName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "raw" or "qcow2", case-insensitive. */
        public static Format parse(String text) {
            for (Format format : values()) {
                if (format.qemuName().equalsIgnoreCase(text.strip())) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown disk format '" + text + "': expected raw or qcow2");
        }
    }

    public Disk {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
    }
}
