package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provium.config.MemorySize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A paused guest saved in a directory: QEMU's migration stream ({@value #STATE_FILE}), a copy of the
 * initramfs it booted with ({@value #INITRD_FILE}; the boot's own copy lives in its run directory and
 * goes away with it) and the machine layout to resume it into ({@value #LAYOUT_FILE}). A template snapshot
 * also has the guest's RAM in {@value #MEMORY_FILE}, left out of the state: every copy maps it private
 * copy-on-write, so a resume reads only the device state and copies share the pages none of them wrote. Made by
 * {@link Vm#snapshotAndStop(Path)}, resumed by {@link VmService#resume(VmSnapshot)} any number of times.
 */
@API(status = STABLE)
public final class VmSnapshot {
    public static final String STATE_FILE = "state";
    public static final String INITRD_FILE = "initrd.cpio";
    public static final String LAYOUT_FILE = "snapshot.json";
    /** Guest RAM of a template snapshot (sparse; copies map it private), absent from a full-state snapshot. */
    public static final String MEMORY_FILE = "memory";
    /** 2: the layout records the SHA-256 of the state file. */
    private static final int FORMAT = 2;
    /** State files checked in this JVM, by path, size and modification time: each is read once, not at every resume. */
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path directory;
    private final String profile;
    private final GuestLayout layout;
    private final String stateSha256;

    private VmSnapshot(Path directory, String profile, GuestLayout layout, String stateSha256) {
        this.directory = directory;
        this.profile = profile;
        this.layout = layout;
        this.stateSha256 = stateSha256;
    }

    /**
     * Records layout (whose initrd must already be the copy in directory) and the state file's SHA-256 next to
     * the state file, and makes the directory private (0700, its files 0600).
     */
    static VmSnapshot write(Path directory, String profile, GuestLayout layout) throws IOException {
        String sha256 = sha256(directory.resolve(STATE_FILE));
        List<Document.DiskEntry> disks = layout.disks().stream()
                .map(disk -> new Document.DiskEntry(disk.path().toString(), disk.format().qemuName(), disk.readOnly()))
                .toList();
        String memory = null;
        if (layout.memoryTemplate() != null) {
            if (!layout.memoryTemplate().equals(directory.resolve(MEMORY_FILE))) {
                throw new IllegalArgumentException("the memory template of a snapshot must be its " + MEMORY_FILE
                        + " file, not " + layout.memoryTemplate());
            }
            memory = MEMORY_FILE;
        }
        Document document = new Document(FORMAT, profile, layout.accelerator().qemuName(), layout.memory().toString(),
                layout.cpus(), layout.kernel().toString(), layout.kernelArgs(), disks, memory, sha256);
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(LAYOUT_FILE).toFile(), document);
        restrict(directory);
        VERIFIED.put(directory.resolve(STATE_FILE).toAbsolutePath(), stamp(directory.resolve(STATE_FILE), sha256));
        return new VmSnapshot(directory, profile, layout, sha256);
    }

    private static void restrict(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        }
    }

    /**
     * Checks that the state file is the one that was saved: its SHA-256 matches the one recorded. A file is read
     * once per JVM while its size and modification time stay the same.
     *
     * @throws SnapshotException saying that the state file was changed or damaged
     */
    public void verify() {
        Path state = stateFile().toAbsolutePath();
        try {
            String known = VERIFIED.get(state);
            if (known != null && known.equals(stamp(state, stateSha256))) {
                return;
            }
            String actual = sha256(state);
            if (!actual.equals(stateSha256)) {
                throw new SnapshotException("its state file " + state + " does not match the SHA-256 recorded when it"
                        + " was saved (changed or damaged since)");
            }
            VERIFIED.put(state, stamp(state, actual));
        } catch (IOException e) {
            throw new SnapshotException("its state file " + state + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String stamp(Path file, String sha256) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.size() + " " + attributes.lastModifiedTime().toMillis() + " " + attributes.fileKey() + " " + sha256;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Reads a snapshot directory.
     *
     * @throws SnapshotException naming the directory and what is missing or unreadable: the layout, the
     *                           state, the initramfs copy, or the kernel or a disk it needs
     */
    public static VmSnapshot read(Path directory) {
        Path layoutFile = directory.resolve(LAYOUT_FILE);
        Document document;
        try {
            document = JSON.readValue(layoutFile.toFile(), Document.class);
        } catch (JacksonException e) {
            throw new SnapshotException("snapshot " + directory + ": " + LAYOUT_FILE + " is not a valid layout: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SnapshotException("snapshot " + directory + ": cannot read " + LAYOUT_FILE + ": " + e.getMessage(), e);
        }
        if (document.format() != FORMAT) {
            throw new SnapshotException("snapshot " + directory + " has format " + document.format()
                    + ", this Provium reads format " + FORMAT);
        }
        requireFile(directory, directory.resolve(STATE_FILE), "the saved state");
        requireFile(directory, directory.resolve(INITRD_FILE), "the initramfs copy");
        Path template = null;
        if (document.memoryFile() != null) {
            if (!MEMORY_FILE.equals(document.memoryFile())) {
                throw new SnapshotException("snapshot " + directory + ": " + LAYOUT_FILE + " names the memory file '"
                        + document.memoryFile() + "' instead of '" + MEMORY_FILE + "'");
            }
            template = directory.resolve(MEMORY_FILE);
            requireFile(directory, template, "the memory template");
        }
        Path kernel = Path.of(document.kernel());
        requireFile(directory, kernel, "the kernel");
        List<Disk> disks = document.disks().stream().map(entry -> new Disk(Path.of(entry.path()),
                Disk.Format.parse(entry.format()), entry.readOnly())).toList();
        for (Disk disk : disks) {
            requireFile(directory, disk.path(), "a disk");
        }
        GuestLayout layout;
        try {
            layout = new GuestLayout(accelerator(document.accelerator()), MemorySize.parse(document.memory()),
                    document.cpus(), kernel, directory.resolve(INITRD_FILE), document.kernelArgs(), disks, template);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("snapshot " + directory + ": " + LAYOUT_FILE + ": " + e.getMessage(), e);
        }
        if (document.stateSha256() == null || !document.stateSha256().matches("[0-9a-f]{64}")) {
            throw new SnapshotException("snapshot " + directory + ": " + LAYOUT_FILE + " has no SHA-256 of the state");
        }
        return new VmSnapshot(directory, document.profile(), layout, document.stateSha256());
    }

    private static Accelerator accelerator(String name) {
        for (Accelerator accelerator : Accelerator.values()) {
            if (accelerator.qemuName().equals(name)) {
                return accelerator;
            }
        }
        throw new IllegalArgumentException("unknown accelerator '" + name + "'");
    }

    private static void requireFile(Path directory, Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SnapshotException("snapshot " + directory + ": " + what + " " + file + " is missing or unreadable");
        }
    }

    public Path directory() {
        return directory;
    }

    public Path stateFile() {
        return directory.resolve(STATE_FILE);
    }

    /** The profile the guest was created from; a resumed VM has it too. */
    public String profile() {
        return profile;
    }

    /** The accelerator the state was taken under; a snapshot resumes only under the same one. */
    public String accelerator() {
        return layout.accelerator().name().toLowerCase(Locale.ROOT);
    }

    GuestLayout layout() {
        return layout;
    }

    /** Whether the guest's RAM is in a template file ({@value #MEMORY_FILE}) rather than in the state. */
    public boolean template() {
        return layout.memoryTemplate() != null;
    }

    @Override
    public String toString() {
        return "snapshot of vm " + profile + " in " + directory;
    }

    private record Document(int format, String profile, String accelerator, String memory, int cpus, String kernel,
                            List<String> kernelArgs, List<DiskEntry> disks, String memoryFile, String stateSha256) {
        private record DiskEntry(String path, String format, boolean readOnly) {
        }
    }
}
