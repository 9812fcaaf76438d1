package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provium.config.MemorySize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A paused guest saved in a directory: QEMU's migration stream ({@value #STATE_FILE}), a copy of the
 * initramfs it booted with ({@value #INITRD_FILE}; the boot's own copy lives in its run directory and
 * goes away with it) and the machine layout to resume it into ({@value #LAYOUT_FILE}). Made by
 * {@link Vm#snapshotAndStop(Path)}, resumed by {@link VmService#resume(VmSnapshot)} any number of times.
 */
@API(status = STABLE)
public final class VmSnapshot {
    public static final String STATE_FILE = "state";
    public static final String INITRD_FILE = "initrd.cpio";
    public static final String LAYOUT_FILE = "snapshot.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path directory;
    private final String profile;
    private final GuestLayout layout;

    private VmSnapshot(Path directory, String profile, GuestLayout layout) {
        this.directory = directory;
        this.profile = profile;
        this.layout = layout;
    }

    /** Records layout (whose initrd must already be the copy in directory) next to the state file. */
    static VmSnapshot write(Path directory, String profile, GuestLayout layout) throws IOException {
        List<Document.DiskEntry> disks = layout.disks().stream()
                .map(disk -> new Document.DiskEntry(disk.path().toString(), disk.format().qemuName(), disk.readOnly()))
                .toList();
        Document document = new Document(FORMAT, profile, layout.accelerator().qemuName(), layout.memory().toString(),
                layout.cpus(), layout.kernel().toString(), layout.kernelArgs(), disks);
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(LAYOUT_FILE).toFile(), document);
        return new VmSnapshot(directory, profile, layout);
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
            throw new SnapshotException("snapshot " + directory + ": cannot read " + LAYOUT_FILE + ": " + e, e);
        }
        if (document.format() != FORMAT) {
            throw new SnapshotException("snapshot " + directory + " has format " + document.format()
                    + ", this Provium reads format " + FORMAT);
        }
        requireFile(directory, directory.resolve(STATE_FILE), "the saved state");
        requireFile(directory, directory.resolve(INITRD_FILE), "the initramfs copy");
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
                    document.cpus(), kernel, directory.resolve(INITRD_FILE), document.kernelArgs(), disks);
        } catch (IllegalArgumentException e) {
            throw new SnapshotException("snapshot " + directory + ": " + LAYOUT_FILE + ": " + e.getMessage(), e);
        }
        return new VmSnapshot(directory, document.profile(), layout);
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

    @Override
    public String toString() {
        return "snapshot of vm " + profile + " in " + directory;
    }

    private record Document(int format, String profile, String accelerator, String memory, int cpus, String kernel,
                            List<String> kernelArgs, List<DiskEntry> disks) {
        private record DiskEntry(String path, String format, boolean readOnly) {
        }
    }
}
