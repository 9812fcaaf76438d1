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
 * How to boot one guest: memory, vCPUs, files injected into the initramfs (guest path → host file) and
 * virtio disks (/dev/vda, /dev/vdb, … in list order).
 */
@API(status = STABLE)
public record BootOptions(MemorySize memory, int cpus, Map<String, Path> files, List<Disk> disks) {
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

    /** 512M, one vCPU, no files, no disks. */
    public static BootOptions defaults() {
        return new BootOptions(DEFAULT_MEMORY, 1, Map.of(), List.of());
    }

    public BootOptions withMemory(String memory) {
        return new BootOptions(MemorySize.parse(memory), cpus, files, disks);
    }

    public BootOptions withCpus(int count) {
        return new BootOptions(memory, count, files, disks);
    }

    public BootOptions withFiles(Map<String, Path> injected) {
        return new BootOptions(memory, cpus, injected, disks);
    }

    public BootOptions withDisks(List<Disk> attached) {
        return new BootOptions(memory, cpus, files, attached);
    }
}
