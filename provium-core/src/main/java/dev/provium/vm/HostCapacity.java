package dev.provium.vm;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import java.nio.file.Path;

/**
 * What this host offers guests: its cores and the memory the resource pool would admit now (MemAvailable minus
 * the host reserve), and from them how many test files to run at once by default.
 *
 * @param cores      the host's cores
 * @param freeMemory bytes of memory guests may use now
 */
@API(status = EXPERIMENTAL)
public record HostCapacity(int cores, long freeMemory) {

    /** Memory a typical file holds at once (one or two small guests), for the default parallelism. */
    static final long MEMORY_PER_FILE = 512L << 20;

    public static HostCapacity probe() {
        HostMemory memory = HostMemory.procMeminfo(Path.of("/proc/meminfo"));
        long free;
        try {
            free = Math.max(0, memory.availableBytes() - (ResourcePool.HOST_RESERVE_MIB << 20));
        } catch (RuntimeException e) {
            free = 0; // no /proc/meminfo: the cores decide
        }
        return new HostCapacity(Runtime.getRuntime().availableProcessors(), free);
    }

    /**
     * Files to run at once: one per core, at least 2 (a file spends much of its time waiting for guest I/O and
     * pure-Lua files are cheap, but under TCG every running vCPU wants a whole core, so more files than cores
     * only make guests slower: measured by SuiteBenchmark), and no more than the free memory holds at
     * {@value #MEMORY_PER_FILE} bytes a file; at least 1.
     */
    public int suggestedParallelism() {
        int byCores = Math.max(2, cores);
        long byMemory = freeMemory == 0 ? byCores : freeMemory / MEMORY_PER_FILE;
        return (int) Math.max(1, Math.min(byCores, byMemory));
    }

    @Override
    public String toString() {
        return cores + (cores == 1 ? " core" : " cores") + " and " + (freeMemory >> 20) + " MiB free memory";
    }
}
