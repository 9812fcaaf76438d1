package dev.provium.image;

import dev.provium.Notices;
import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the file QEMU boots with {@code -kernel}. A bzImage spends seconds decompressing itself under
 * TCG; when the kernel has a PVH entry note, QEMU can boot its uncompressed {@code vmlinux} directly. That
 * file is extracted once per kernel identity (real path, size, modification time) into a cache directory.
 * Kernels without the note, or with a payload we cannot decode, boot as the bzImage (the reason is logged
 * and remembered in the cache, so it is not retried for the same file).
 */
@API(status = INTERNAL)
public final class BootKernel {

    private static final Logger LOG = LoggerFactory.getLogger(BootKernel.class);

    /** Part of every cache key: bump it when extraction changes so old cache entries are not reused. */
    private static final String FORMAT = "vmlinux-v1";

    private BootKernel() {
    }

    /**
     * @param kernel   the located kernel
     * @param cacheDir where extracted kernels live, e.g. {@code ~/.cache/provium/kernels}; created if needed
     * @return the cached {@code vmlinux} when the kernel supports PVH boot, else {@link Kernel#image()}
     * @throws GuestImageException when the kernel cannot be read, the cache cannot be written, or the kernel
     *                             is an ELF file without a PVH note (which QEMU cannot boot)
     */
    public static Path prepare(Kernel kernel, Path cacheDir, Notices notices) {
        Path image = kernel.image();
        try {
            if (isElf(image)) {
                return bootableElf(image);
            }
            String safeVersion = kernel.version().replaceAll("[^A-Za-z0-9._+-]", "_");
            String name = "vmlinux-" + safeVersion + "-" + CacheFiles.identityKey(image, FORMAT);
            Path vmlinux = cacheDir.resolve(name);
            Path notExtractable = cacheDir.resolve(name + ".not-extractable");
            if (Files.isRegularFile(vmlinux)) {
                return vmlinux;
            }
            if (Files.isRegularFile(notExtractable)) {
                LOG.debug("Booting bzImage {}: {}", image, Files.readString(notExtractable).strip());
                return image;
            }
            Optional<BzImage> bzImage = BzImage.read(image);
            if (bzImage.isEmpty()) {
                notices.notice("provium: kernel " + image + " is neither a bzImage nor an ELF file; passing it to QEMU as it is");
                return image;
            }
            return extract(bzImage.get(), image, vmlinux, notExtractable, notices);
        } catch (IOException e) {
            throw new GuestImageException("Cannot prepare kernel " + image + " for boot (cache " + cacheDir
                    + "): " + e, e);
        }
    }

    private static Path extract(BzImage bzImage, Path image, Path vmlinux, Path notExtractable, Notices notices)
            throws IOException {
        try {
            CacheFiles.publish(vmlinux, temporary -> VmlinuxExtractor.extract(bzImage, temporary));
            LOG.debug("Extracted the PVH vmlinux of {} to {}", image, vmlinux);
            return vmlinux;
        } catch (VmlinuxExtractor.NotExtractable e) {
            notices.notice("provium: booting " + image + " as a bzImage (slower under TCG): " + e.getMessage());
            CacheFiles.publish(notExtractable,
                    temporary -> Files.writeString(temporary, e.getMessage() + "\n", StandardCharsets.UTF_8));
            return image;
        }
    }

    private static Path bootableElf(Path image) throws IOException {
        if (VmlinuxExtractor.hasPvhNote(image)) {
            return image;
        }
        throw new GuestImageException("Kernel " + image + " is an ELF vmlinux without a PVH entry note"
                + " (CONFIG_PVH), which QEMU cannot boot: use the bzImage (arch/x86/boot/bzImage) instead");
    }

    private static boolean isElf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Elf.hasMagic(in.readNBytes(4));
        }
    }
}
