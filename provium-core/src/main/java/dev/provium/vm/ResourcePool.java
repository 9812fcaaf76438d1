package dev.provium.vm;

import dev.provium.config.MemorySize;
import dev.provium.config.ProviumConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits VM boots while their memory and vCPUs fit. Memory: a fixed budget ({@code provium.memory}),
 * or in auto mode the host's MemAvailable minus a {@value #HOST_RESERVE_MIB} MiB reserve, re-read at
 * every check. Auto mode counts leased memory on top of MemAvailable, which already reflects what
 * running guests have touched: conservative on purpose, since guests grow into their RAM later.
 * vCPUs: a fixed budget ({@code provium.cpus}) or the host's cores. Waiters are admitted in arrival
 * order, so a large VM is not starved by small ones.
 */
final class ResourcePool {
    static final long HOST_RESERVE_MIB = 1536;
    private static final long HOST_RESERVE_BYTES = HOST_RESERVE_MIB << 20;
    /** How often a waiter in auto mode re-reads MemAvailable, which changes without telling us. */
    private static final Duration RECHECK = Duration.ofMillis(250);

    private final OptionalLong memoryBudget;
    private final OptionalInt cpuBudget;
    private final HostMemory hostMemory;
    private final int hostCores;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Object> waiters = new ArrayDeque<>();
    private long leasedMemory;
    private int leasedCpus;
    private int leases;

    ResourcePool(OptionalLong memoryBudget, OptionalInt cpuBudget, HostMemory hostMemory, int hostCores) {
        this.memoryBudget = memoryBudget;
        this.cpuBudget = cpuBudget;
        this.hostMemory = hostMemory;
        this.hostCores = hostCores;
    }

    /** Budgets from the configuration; each one that is not set is auto. */
    public static ResourcePool forConfig(ProviumConfig config) {
        OptionalLong memory = config.memoryBudget().map(size -> OptionalLong.of(size.bytes())).orElse(OptionalLong.empty());
        return new ResourcePool(memory, config.cpusBudget(), HostMemory.procMeminfo(Path.of("/proc/meminfo")),
                Runtime.getRuntime().availableProcessors());
    }

    /** MemAvailable minus the reserve, and the host's cores. */
    public static ResourcePool auto() {
        return new ResourcePool(OptionalLong.empty(), OptionalInt.empty(), HostMemory.procMeminfo(Path.of("/proc/meminfo")),
                Runtime.getRuntime().availableProcessors());
    }

    /** Fixed budgets for all VMs together. */
    public static ResourcePool fixed(MemorySize memory, int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus budget must be positive, got " + cpus);
        }
        return new ResourcePool(OptionalLong.of(memory.bytes()), OptionalInt.of(cpus), HostMemory.procMeminfo(Path.of("/proc/meminfo")),
                Runtime.getRuntime().availableProcessors());
    }

    /** See {@link #acquire(long, int, Duration)}. */
    public Lease acquire(MemorySize memory, int cpus, Duration timeout) throws InterruptedException {
        return acquire(memory.bytes(), cpus, timeout);
    }

    /**
     * Blocks until the memory and vCPUs fit, then holds them until the lease is closed.
     *
     * @throws ResourcePoolException at once when the request can never fit, or after timeout
     */
    public Lease acquire(long memoryBytes, int cpus, Duration timeout) throws InterruptedException {
        if (memoryBytes <= 0 || cpus <= 0) {
            throw new IllegalArgumentException("a VM needs memory and vCPUs, got " + memoryBytes + " bytes and " + cpus + " vCPUs");
        }
        checkCanEverFit(memoryBytes, cpus);
        long deadline = System.nanoTime() + timeout.toNanos();
        Object ticket = new Object();
        lock.lockInterruptibly();
        try {
            waiters.addLast(ticket);
            try {
                while (waiters.peekFirst() != ticket || !fits(memoryBytes, cpus)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new ResourcePoolException("timed out after " + timeout.toSeconds() + " s waiting for "
                                + describe(memoryBytes, cpus) + "; " + usage());
                    }
                    changed.awaitNanos(Math.min(left, RECHECK.toNanos()));
                }
            } finally {
                waiters.remove(ticket);
                changed.signalAll();
            }
            leasedMemory += memoryBytes;
            leasedCpus += cpus;
            leases++;
            return new Lease(memoryBytes, cpus);
        } finally {
            lock.unlock();
        }
    }

    private void checkCanEverFit(long memoryBytes, int cpus) {
        int cpuCapacity = cpuCapacity();
        if (cpus > cpuCapacity) {
            throw new ResourcePoolException("a VM with " + cpus + " vCPUs can never run here: the limit is " + cpuCapacity + " vCPUs ("
                    + (cpuBudget.isPresent() ? "the provium.cpus budget" : "the host's cores") + ")");
        }
        long memoryCapacity = memoryBudget.isPresent() ? memoryBudget.getAsLong() : hostMemory.totalBytes() - HOST_RESERVE_BYTES;
        if (memoryBytes > memoryCapacity) {
            throw new ResourcePoolException("a VM with " + mib(memoryBytes) + " of memory can never run here: the limit is "
                    + mib(Math.max(0, memoryCapacity)) + " (" + (memoryBudget.isPresent() ? "the provium.memory budget"
                    : "the host's MemTotal minus " + HOST_RESERVE_MIB + " MiB kept for the host") + ")");
        }
    }

    private boolean fits(long memoryBytes, int cpus) {
        return leasedCpus + cpus <= cpuCapacity() && leasedMemory + memoryBytes <= memoryCapacityNow();
    }

    private int cpuCapacity() {
        return cpuBudget.orElse(hostCores);
    }

    private long memoryCapacityNow() {
        return memoryBudget.isPresent() ? memoryBudget.getAsLong() : hostMemory.availableBytes() - HOST_RESERVE_BYTES;
    }

    private String usage() {
        String memoryLimit = memoryBudget.isPresent() ? mib(memoryBudget.getAsLong()) + " budget"
                : mib(Math.max(0, memoryCapacityNow())) + " free (MemAvailable minus " + HOST_RESERVE_MIB + " MiB)";
        return "in use by " + leases + " VMs: " + describe(leasedMemory, leasedCpus) + " of " + memoryLimit + " and " + cpuCapacity() + " vCPUs";
    }

    private static String describe(long memoryBytes, int cpus) {
        return mib(memoryBytes) + " and " + cpus + (cpus == 1 ? " vCPU" : " vCPUs");
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private void release(long memoryBytes, int cpus) {
        lock.lock();
        try {
            leasedMemory -= memoryBytes;
            leasedCpus -= cpus;
            leases--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Memory and vCPUs held for one VM; closing gives them back (once). */
    public final class Lease implements AutoCloseable {
        private final long memoryBytes;
        private final int cpus;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(long memoryBytes, int cpus) {
            this.memoryBytes = memoryBytes;
            this.cpus = cpus;
        }

        public long memoryBytes() {
            return memoryBytes;
        }

        public int cpus() {
            return cpus;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(memoryBytes, cpus);
            }
        }

        @Override
        public String toString() {
            return "lease of " + describe(memoryBytes, cpus);
        }
    }

    /** How many acquire calls are waiting. */
    int queued() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }
}
