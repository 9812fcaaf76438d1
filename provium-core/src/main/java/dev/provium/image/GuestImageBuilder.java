package dev.provium.image;

import dev.provium.Notices;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the initramfs a guest boots with. The file is a sequence of complete, uncompressed cpio archives,
 * which the kernel unpacks in order, later entries replacing earlier ones:
 * <ol>
 *   <li>the profile's initrd, byte for byte, padded with zeros to a 4-byte boundary (never modified);</li>
 *   <li>the base overlay: agent as {@code /init}, busybox with its applet links, kernel modules and their
 *       load-order manifest {@code /etc/provium/modules}, {@code /dev/console} (cached, see below);</li>
 *   <li>the injected {@code files}, with their parent directories, when there are any.</li>
 * </ol>
 * The base overlay is cached in the builder's cache directory under a hash of its content, so a boot only
 * writes the final file. Safe for concurrent use, also by several JVMs sharing the cache directory.
 */
@API(status = INTERNAL)
public final class GuestImageBuilder {

    private final Path cacheDir;
    private final Notices notices;

    /** @param cacheDir where base overlays are cached, e.g. {@code ~/.cache/provium/initramfs} */
    public GuestImageBuilder(Path cacheDir, Notices notices) {
        this.notices = notices;
        this.cacheDir = cacheDir;
    }

    /**
     * Writes the initramfs for one boot.
     *
     * @param outputFile created or replaced; give each boot its own file
     * @return {@code outputFile}
     * @throws GuestImageException naming the bad input (guest path, missing host file, dynamic busybox,
     *                             unknown module, …) or the I/O failure
     */
    public Path build(GuestImageSpec spec, Path outputFile) {
        Optional<Path> userInitrd = spec.userInitrd();
        userInitrd.ifPresent(initrd -> Busybox.requireRegularFile(initrd, "Initrd"));
        Map<String, Path> files = checkedFiles(spec.files());
        BaseOverlay base = BaseOverlay.plan(spec, notices);
        Set<String> baseDirectories = base.directories();
        for (String name : files.keySet()) {
            if (baseDirectories.contains(name)) {
                throw new GuestImageException("Guest path '/" + name + "' (files) is a directory in the guest"
                        + " image; name a file inside it");
            }
        }
        Path baseFile = base.cachedIn(cacheDir);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(outputFile), 1 << 16)) {
                if (userInitrd.isPresent()) {
                    long length = Files.copy(userInitrd.get(), out);
                    out.write(new byte[(int) ((4 - length % 4) % 4)]);
                }
                Files.copy(baseFile, out);
                if (!files.isEmpty()) {
                    writeFiles(out, files, baseDirectories);
                }
            }
            return outputFile;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(outputFile, e);
            if (e instanceof GuestImageException known) {
                throw known;
            }
            throw new GuestImageException("Cannot write the initramfs " + outputFile + ": " + e, e);
        }
    }

    /** Guest entry name → host file, after checking both sides. */
    private static Map<String, Path> checkedFiles(Map<String, Path> files) {
        Map<String, Path> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String name = GuestPaths.entryName(file.getKey(), "files key");
            Path host = file.getValue();
            if (host == null) {
                throw new GuestImageException("No host file given for guest path '" + file.getKey() + "' (files)");
            }
            if (!Files.exists(host)) {
                throw new GuestImageException("Host file " + host + " for guest path '" + file.getKey()
                        + "' (files) does not exist");
            }
            if (!Files.isRegularFile(host)) {
                throw new GuestImageException("Host file " + host + " for guest path '" + file.getKey()
                        + "' (files) is not a regular file");
            }
            if (!Files.isReadable(host)) {
                throw new GuestImageException("Host file " + host + " for guest path '" + file.getKey()
                        + "' (files) is not readable");
            }
            checked.put(name, host);
        }
        return checked;
    }

    private static void writeFiles(OutputStream out, Map<String, Path> files, Set<String> existingDirectories)
            throws IOException {
        CpioWriter cpio = new CpioWriter(out, existingDirectories);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path host = file.getValue();
            long size = Files.size(host);
            long mtime = Files.getLastModifiedTime(host).toInstant().getEpochSecond();
            try (InputStream content = Files.newInputStream(host)) {
                cpio.file(file.getKey(), permissions(host), Math.max(0, mtime), size, content);
            }
        }
        cpio.finish();
    }

    /** The host file's permission bits, including setuid/setgid/sticky where the file system reports them. */
    private static int permissions(Path host) throws IOException {
        try {
            return (Integer) Files.getAttribute(host, "unix:mode") & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            int mode = 0;
            for (var permission : Files.getPosixFilePermissions(host)) {
                mode |= 1 << (8 - permission.ordinal());
            }
            return mode;
        }
    }

    private static void deleteQuietly(Path file, Exception cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
