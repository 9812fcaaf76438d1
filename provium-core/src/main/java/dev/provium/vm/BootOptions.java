package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.config.MemorySize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to boot one guest: memory, vCPUs, files injected into the guest (guest path → host file) and
 * virtio disks (/dev/vda, /dev/vdb, … in list order).
 *
 * <p>A boot normally resumes the snapshot of the same guest taken right after its first boot (the boot
 * cache; files are then written through the agent after the resume). {@code coldBoot} starts the kernel
 * afresh instead, for tests of early boot; so does a profile with {@code boot_cache = false}, and a guest
 * with a writable disk. A cold boot puts the files into the initramfs.
 */
@API(status = STABLE)
public record BootOptions(MemorySize memory, int cpus, Map<String, Path> files, List<Disk> disks, boolean coldBoot) {
    public static final MemorySize DEFAULT_MEMORY = MemorySize.ofMebibytes(512);

    public BootOptions {
        Objects.requireNonNull(memory, "memory");
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1, got " + cpus);
        }
        files = Collections.unmodifiableMap(new TreeMap<>(files)); // sorted: the initramfs and fixture keys depend on the order
        disks = List.copyOf(disks);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!Files.isRegularFile(file.getValue())) {
                throw new IllegalArgumentException("file to inject at " + file.getKey() + " is not a regular file: " + file.getValue());
            }
        }
    }

    /** Options that may use the boot cache. */
    public BootOptions(MemorySize memory, int cpus, Map<String, Path> files, List<Disk> disks) {
        this(memory, cpus, files, disks, false);
    }

    /** 512M, one vCPU, no files, no disks. */
    public static BootOptions defaults() {
        return new BootOptions(DEFAULT_MEMORY, 1, Map.of(), List.of(), false);
    }

    public BootOptions withMemory(String memory) {
        return new BootOptions(MemorySize.parse(memory), cpus, files, disks, coldBoot);
    }

    public BootOptions withCpus(int count) {
        return new BootOptions(memory, count, files, disks, coldBoot);
    }

    public BootOptions withFiles(Map<String, Path> injected) {
        return new BootOptions(memory, cpus, injected, disks, coldBoot);
    }

    public BootOptions withDisks(List<Disk> attached) {
        return new BootOptions(memory, cpus, files, attached, coldBoot);
    }

    /** These options for a cold boot: the kernel starts afresh, the boot cache is not used. */
    public BootOptions cold() {
        return withColdBoot(true);
    }

    public BootOptions withColdBoot(boolean cold) {
        return new BootOptions(memory, cpus, files, disks, cold);
    }
}
