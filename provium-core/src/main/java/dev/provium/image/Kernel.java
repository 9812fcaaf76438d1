package dev.provium.image;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A guest kernel on the host.
 *
 * @param image      the kernel file as installed or configured (a bzImage, or an ELF {@code vmlinux})
 * @param version    its release string, e.g. {@code 6.1.0-56-amd64}
 * @param modulesDir {@code /lib/modules/<version>} when it exists; absent for a custom kernel without
 *                   installed modules (everything it needs must then be built in)
 */
@API(status = EXPERIMENTAL)
public record Kernel(Path image, String version, Optional<Path> modulesDir) {

    public Kernel {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(modulesDir, "modulesDir");
    }
}
