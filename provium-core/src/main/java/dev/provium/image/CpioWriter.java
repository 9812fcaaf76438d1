package dev.provium.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes one complete cpio "newc" archive, the format the kernel unpacks into its initial root file system.
 * Entries are owned by root; parent directories are added (mode 0755) before the first entry that needs
 * them, unless they are declared as already present in the guest. {@link #finish()} writes the TRAILER!!!
 * entry and pads to a 512-byte block but leaves the underlying stream open, so further archives can follow
 * it in the same file: the kernel unpacks concatenated archives in sequence.
 */
final class CpioWriter {

    private static final int PERMISSION_BITS = 07777;

    private final CpioArchiveOutputStream cpio;
    private final Set<String> directories = new HashSet<>();
    private final Set<String> names = new HashSet<>();

    /**
     * @param existingDirectories entry names of directories an earlier archive creates; not repeated here,
     *                            because the kernel would re-apply this archive's mode to them
     */
    CpioWriter(OutputStream out, Set<String> existingDirectories) {
        this.cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW, CpioConstants.BLOCK_SIZE,
                StandardCharsets.UTF_8.name());
        this.directories.addAll(existingDirectories);
    }

    boolean contains(String name) {
        return names.contains(name) || directories.contains(name);
    }

    void directory(String name, int permissions) throws IOException {
        if (directories.contains(name)) {
            return;
        }
        parents(name);
        put(entry(name, CpioConstants.C_ISDIR, permissions, 0, 2));
        directories.add(name);
    }

    void file(String name, int permissions, long mtimeSeconds, byte[] content) throws IOException {
        parents(name);
        CpioArchiveEntry entry = entry(name, CpioConstants.C_ISREG, permissions, content.length, 1);
        entry.setTime(mtimeSeconds);
        put(entry);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }

    void file(String name, int permissions, long mtimeSeconds, long size, InputStream content) throws IOException {
        parents(name);
        CpioArchiveEntry entry = entry(name, CpioConstants.C_ISREG, permissions, size, 1);
        entry.setTime(mtimeSeconds);
        put(entry);
        long copied = content.transferTo(cpio);
        if (copied != size) {
            throw new IOException("'" + name + "' changed while being archived: expected " + size
                    + " bytes, read " + copied);
        }
        cpio.closeArchiveEntry();
    }

    void symlink(String name, String target) throws IOException {
        parents(name);
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        put(entry(name, CpioConstants.C_ISLNK, 0777, bytes.length, 1));
        cpio.write(bytes);
        cpio.closeArchiveEntry();
    }

    void characterDevice(String name, int permissions, int major, int minor) throws IOException {
        parents(name);
        CpioArchiveEntry entry = entry(name, CpioConstants.C_ISCHR, permissions, 0, 1);
        entry.setRemoteDeviceMaj(major);
        entry.setRemoteDeviceMin(minor);
        put(entry);
        cpio.closeArchiveEntry();
    }

    /** Writes the trailer; the underlying stream stays open. */
    void finish() throws IOException {
        cpio.finish();
    }

    private void parents(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            directory(name.substring(0, slash), 0755);
        }
    }

    private void put(CpioArchiveEntry entry) throws IOException {
        if (!names.add(entry.getName())) {
            throw new IOException("'/" + entry.getName() + "' is added to the archive twice");
        }
        cpio.putArchiveEntry(entry);
    }

    private static CpioArchiveEntry entry(String name, int type, int permissions, long size, int links) {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name);
        entry.setMode(type | (permissions & PERMISSION_BITS));
        entry.setSize(size);
        entry.setNumberOfLinks(links);
        entry.setUID(0);
        entry.setGID(0);
        entry.setTime(0);
        return entry;
    }
}
