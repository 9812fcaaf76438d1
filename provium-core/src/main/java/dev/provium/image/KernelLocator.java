package dev.provium.image;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the guest kernel: the profile's explicit kernel, else {@code PROVIUM_KERNEL}, else the newest
 * {@code /boot/vmlinuz-<version>} that has a matching {@code /lib/modules/<version>}.
 */
@API(status = EXPERIMENTAL)
public final class KernelLocator {

    /** Environment variable naming a kernel file; overrides the installed kernels, not a profile's. */
    public static final String ENV_KERNEL = "PROVIUM_KERNEL";

    static final String FIX = "run scripts/bootstrap (installs linux-image-amd64 and linux-headers-amd64)"
            + " or set " + ENV_KERNEL + " / the profile's kernel";

    private final Path bootDir;
    private final Path modulesRoot;
    private final Function<String, String> environment;

    /** Searches the host's {@code /boot} and {@code /lib/modules} and reads the real environment. */
    public KernelLocator() {
        this(Path.of("/boot"), Path.of("/lib/modules"), System::getenv);
    }

    KernelLocator(Path bootDir, Path modulesRoot, Function<String, String> environment) {
        this.bootDir = bootDir;
        this.modulesRoot = modulesRoot;
        this.environment = environment;
    }

    /**
     * @param explicit the profile's {@code kernel}, if it has one
     * @throws KernelNotFoundException when no kernel is found, or a named kernel file does not exist
     * @throws GuestImageException     when a named file is not a readable Linux kernel image
     */
    public Kernel locate(Optional<Path> explicit) {
        if (explicit.isPresent()) {
            return fromFile(explicit.get(), "the profile's kernel");
        }
        String fromEnvironment = environment.apply(ENV_KERNEL);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromFile(Path.of(fromEnvironment.strip()), ENV_KERNEL);
        }
        return newestInstalled();
    }

    private Kernel fromFile(Path file, String origin) {
        Path image = file.toAbsolutePath().normalize();
        if (!Files.exists(image)) {
            throw new KernelNotFoundException("Kernel " + image + " (from " + origin + ") does not exist");
        }
        if (!Files.isRegularFile(image)) {
            throw new GuestImageException("Kernel " + image + " (from " + origin + ") is not a regular file");
        }
        requireReadable(image);
        String version;
        try {
            version = KernelVersions.read(image).orElseThrow(() -> new GuestImageException("Kernel " + image
                    + " (from " + origin + ") is not a Linux kernel image: it has neither a bzImage setup header"
                    + " with a version nor an ELF 'Linux version' banner"));
        } catch (IOException e) {
            throw new GuestImageException("Cannot read kernel " + image + " (from " + origin + "): " + e, e);
        }
        return new Kernel(image, version, modulesDir(version));
    }

    private Kernel newestInstalled() {
        List<String> withModules = new ArrayList<>();
        List<String> withoutModules = new ArrayList<>();
        if (Files.isDirectory(bootDir)) {
            try (DirectoryStream<Path> images = Files.newDirectoryStream(bootDir, "vmlinuz-*")) {
                for (Path image : images) {
                    String version = image.getFileName().toString().substring("vmlinuz-".length());
                    if (version.isEmpty() || !Files.isRegularFile(image)) {
                        continue;
                    }
                    (modulesDir(version).isPresent() ? withModules : withoutModules).add(version);
                }
            } catch (IOException e) {
                throw new GuestImageException("Cannot list " + bootDir + " while looking for a kernel: " + e, e);
            }
        }
        Optional<String> newest = withModules.stream().max(KernelVersions.ORDER);
        if (newest.isEmpty()) {
            String seen = withoutModules.isEmpty() ? "" : " (found " + String.join(", ", withoutModules.stream()
                    .sorted(KernelVersions.ORDER).map(v -> "vmlinuz-" + v).toList()) + " but no matching "
                    + modulesRoot + "/<version>)";
            throw new KernelNotFoundException("No guest kernel found: no profile kernel, " + ENV_KERNEL
                    + " is not set, and no " + bootDir + "/vmlinuz-<version> has a matching " + modulesRoot
                    + "/<version>" + seen + ". Fix: " + FIX + ".");
        }
        String version = newest.get();
        Path image = bootDir.resolve("vmlinuz-" + version).toAbsolutePath();
        requireReadable(image);
        return new Kernel(image, version, modulesDir(version));
    }

    private Optional<Path> modulesDir(String version) {
        Path dir = modulesRoot.resolve(version).toAbsolutePath();
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    private static void requireReadable(Path image) {
        if (!Files.isReadable(image)) {
            throw new GuestImageException("Kernel " + image + " is not readable by this user (some distributions"
                    + " install kernels readable by root only): run 'sudo chmod 0644 " + image
                    + "' or point " + ENV_KERNEL + " at a readable copy");
        }
    }
}
