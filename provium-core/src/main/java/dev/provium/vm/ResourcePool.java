package dev.provium.vm;

import dev.provium.config.MemorySize;
import dev.provium.config.ProviumConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits VM boots while their memory fits. Memory is the hard limit: a fixed budget ({@code provium.memory}),
 * or in auto mode the host's MemAvailable minus a {@value #HOST_RESERVE_MIB} MiB reserve, re-read at every
 * check (leased memory is counted on top of MemAvailable, which already reflects what running guests have
 * touched: conservative on purpose, since guests grow into their RAM later). vCPUs are counted, but under TCG a
 * vCPU is a host thread, so they are overcommitted unless a budget ({@code provium.cpus}) is set.
 *
 * <p>Leases belong to a {@link LeaseOwner} (a test file). An owner is never left waiting on what it holds
 * itself: a request that can never fit, or that could only fit if the owner released its own guests, or that
 * waits while every other owner holding guests waits as well, fails at once with a message that says how to
 * change it. Waiters whose owner already holds guests go first (finishing them frees the most), each group in
 * arrival order, so a large VM is not starved by small ones. Only a request that waits for the host itself (no
 * other owner holds anything) is bounded by the timeout.
 */
final class ResourcePool {
    static final long HOST_RESERVE_MIB = 1536;
    private static final long HOST_RESERVE_BYTES = HOST_RESERVE_MIB << 20;
    /** How often a waiter re-checks: MemAvailable changes without telling us. */
    private static final Duration RECHECK = Duration.ofMillis(250);

    private final OptionalLong memoryBudget;
    private final OptionalInt cpuBudget;
    private final HostMemory hostMemory;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Waiter> waiters = new ArrayList<>();
    private final Map<LeaseOwner, Held> held = new HashMap<>();
    private long arrivals;
    private long leasedMemory;
    private int leasedCpus;
    private int leases;

    ResourcePool(OptionalLong memoryBudget, OptionalInt cpuBudget, HostMemory hostMemory) {
        this.memoryBudget = memoryBudget;
        this.cpuBudget = cpuBudget;
        this.hostMemory = hostMemory;
    }

    /** Budgets from the configuration; each one that is not set is auto. */
    public static ResourcePool forConfig(ProviumConfig config) {
        OptionalLong memory = config.memoryBudget().map(size -> OptionalLong.of(size.bytes())).orElse(OptionalLong.empty());
        return new ResourcePool(memory, config.cpusBudget(), HostMemory.procMeminfo(Path.of("/proc/meminfo")));
    }

    /** MemAvailable minus the reserve; vCPUs overcommitted. */
    public static ResourcePool auto() {
        return new ResourcePool(OptionalLong.empty(), OptionalInt.empty(), HostMemory.procMeminfo(Path.of("/proc/meminfo")));
    }

    /** Fixed budgets for all VMs together. */
    public static ResourcePool fixed(MemorySize memory, int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus budget must be positive, got " + cpus);
        }
        return new ResourcePool(OptionalLong.of(memory.bytes()), OptionalInt.of(cpus), HostMemory.procMeminfo(Path.of("/proc/meminfo")));
    }

    /** See {@link #acquire(long, int, Duration)}. */
    public Lease acquire(MemorySize memory, int cpus, Duration timeout) throws InterruptedException {
        return acquire(memory.bytes(), cpus, timeout);
    }

    /**
     * Blocks until the memory (and vCPUs, with a budget) fit, then holds them for the thread's
     * {@link LeaseOwner} until the lease is closed.
     *
     * @param timeout how long to wait while no other owner holds anything (the host itself is short of memory)
     * @throws ResourcePoolException at once when the request can never fit, can only fit by what its owner
     *         holds, or would wait for owners that all wait themselves; or after the timeout
     */
    public Lease acquire(long memoryBytes, int cpus, Duration timeout) throws InterruptedException {
        if (memoryBytes <= 0 || cpus <= 0) {
            throw new IllegalArgumentException("a VM needs memory and vCPUs, got " + memoryBytes + " bytes and " + cpus + " vCPUs");
        }
        checkCanEverFit(memoryBytes, cpus);
        LeaseOwner owner = LeaseOwner.currentOrAnonymous();
        lock.lockInterruptibly();
        try {
            Waiter me = new Waiter(owner, memoryBytes, cpus, arrivals++);
            waiters.add(me);
            changed.signalAll();
            try {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!(next() == me && fits(memoryBytes, cpus))) {
                    refuseIfHopeless(me);
                    if (othersHold(owner)) {
                        deadline = System.nanoTime() + timeout.toNanos(); // other files will free what they hold
                    } else if (System.nanoTime() - deadline >= 0) {
                        throw new ResourcePoolException("timed out after " + timeout.toSeconds() + " s waiting for "
                                + describe(memoryBytes, cpus) + "; " + usage()
                                + "; the host's memory is taken by other processes: free some, or set provium.memory");
                    }
                    changed.awaitNanos(RECHECK.toNanos());
                }
            } finally {
                waiters.remove(me);
                changed.signalAll();
            }
            leasedMemory += memoryBytes;
            leasedCpus += cpus;
            leases++;
            held.computeIfAbsent(owner, o -> new Held()).add(memoryBytes, cpus, 1);
            return new Lease(owner, memoryBytes, cpus);
        } finally {
            lock.unlock();
        }
    }

    /** Fails a waiter that nothing but its own owner's guests (or nothing at all) could ever make room for. */
    private void refuseIfHopeless(Waiter me) {
        Held own = held.getOrDefault(me.owner, Held.NONE);
        String request = describe(me.memory, me.cpus);
        if (own.count > 0 && (own.memory + me.memory > memoryCeiling()
                || cpuBudget.isPresent() && own.cpus + me.cpus > cpuBudget.getAsInt())) {
            throw selfBlocked(me, own, "the limit is " + limits());
        }
        if (own.count > 0 && !othersHold(me.owner)) {
            throw selfBlocked(me, own, usage());
        }
        if (own.count > 0 && deadlocked() && newestHoldingWaiter() == me) {
            throw new ResourcePoolException(me.owner.describe() + " asks for " + request + " while it holds "
                    + describe(own.memory, own.cpus) + " in " + vms(own.count) + ", and every other test file holding"
                    + " guests is waiting for memory too, so none would ever be freed (" + usage() + "). "
                    + fix());
        }
    }

    private ResourcePoolException selfBlocked(Waiter me, Held own, String situation) {
        return new ResourcePoolException(me.owner.describe() + " asks for " + describe(me.memory, me.cpus)
                + " while it holds " + describe(own.memory, own.cpus) + " in " + vms(own.count)
                + ": only releasing its own guests could make room, so it would wait for itself (" + situation + "). "
                + fix());
    }

    private String fix() {
        return "Shut down a guest the file no longer needs before booting the next (vm:shutdown()), give the guests"
                + " less memory (vm:boot{memory=...}), or raise " + (memoryBudget.isPresent() ? "provium.memory"
                : "the memory available (or set provium.memory)")
                + (cpuBudget.isPresent() ? " or provium.cpus" : "");
    }

    private void checkCanEverFit(long memoryBytes, int cpus) {
        if (cpuBudget.isPresent() && cpus > cpuBudget.getAsInt()) {
            throw new ResourcePoolException("a VM with " + cpus + " vCPUs can never run here: the limit is " + cpuBudget.getAsInt()
                    + " vCPUs (the provium.cpus budget); raise provium.cpus or boot with fewer (vm:boot{cpus=...})");
        }
        long ceiling = memoryCeiling();
        if (memoryBytes > ceiling) {
            throw new ResourcePoolException("a VM with " + mib(memoryBytes) + " of memory can never run here: the limit is "
                    + mib(Math.max(0, ceiling)) + " (" + (memoryBudget.isPresent() ? "the provium.memory budget"
                    : "the host's MemTotal minus " + HOST_RESERVE_MIB + " MiB kept for the host")
                    + "); boot it with less (vm:boot{memory=...})");
        }
    }

    /** The waiter to admit next: owners that hold guests first, then arrival order. */
    private Waiter next() {
        return waiters.stream().min(Comparator.comparing((Waiter w) -> holds(w.owner) ? 0 : 1)
                .thenComparingLong(w -> w.arrival)).orElse(null);
    }

    /** Nobody can go on: the next waiter does not fit, and every owner holding guests is waiting. */
    private boolean deadlocked() {
        Waiter next = next();
        if (next == null || fits(next.memory, next.cpus)) {
            return false;
        }
        return held.keySet().stream().allMatch(o -> waiters.stream().anyMatch(w -> w.owner == o));
    }

    private Waiter newestHoldingWaiter() {
        return waiters.stream().filter(w -> holds(w.owner)).max(Comparator.comparingLong(w -> w.arrival)).orElse(null);
    }

    private boolean holds(LeaseOwner owner) {
        return held.containsKey(owner);
    }

    private boolean othersHold(LeaseOwner owner) {
        return held.keySet().stream().anyMatch(o -> o != owner);
    }

    private boolean fits(long memoryBytes, int cpus) {
        boolean cpusFit = cpuBudget.isEmpty() || leasedCpus + cpus <= cpuBudget.getAsInt();
        return cpusFit && leasedMemory + memoryBytes <= memoryCapacityNow();
    }

    /** The most memory all leases together could ever have. */
    private long memoryCeiling() {
        return memoryBudget.isPresent() ? memoryBudget.getAsLong() : hostMemory.totalBytes() - HOST_RESERVE_BYTES;
    }

    private long memoryCapacityNow() {
        return memoryBudget.isPresent() ? memoryBudget.getAsLong() : hostMemory.availableBytes() - HOST_RESERVE_BYTES;
    }

    private String limits() {
        return (memoryBudget.isPresent() ? mib(memoryBudget.getAsLong()) + " (the provium.memory budget)"
                : mib(Math.max(0, memoryCeiling())) + " (MemTotal minus " + HOST_RESERVE_MIB + " MiB)")
                + (cpuBudget.isPresent() ? " and " + cpuBudget.getAsInt() + " vCPUs (the provium.cpus budget)" : "");
    }

    private String usage() {
        String memoryLimit = memoryBudget.isPresent() ? mib(memoryBudget.getAsLong()) + " budget"
                : mib(Math.max(0, memoryCapacityNow())) + " free (MemAvailable minus " + HOST_RESERVE_MIB + " MiB)";
        return "in use by " + vms(leases) + ": " + describe(leasedMemory, leasedCpus) + " of " + memoryLimit
                + (cpuBudget.isPresent() ? " and " + cpuBudget.getAsInt() + " vCPUs" : "");
    }

    private static String vms(int count) {
        return count + (count == 1 ? " VM" : " VMs");
    }

    private static String describe(long memoryBytes, int cpus) {
        return mib(memoryBytes) + " and " + cpus + (cpus == 1 ? " vCPU" : " vCPUs");
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private void release(LeaseOwner owner, long memoryBytes, int cpus) {
        lock.lock();
        try {
            leasedMemory -= memoryBytes;
            leasedCpus -= cpus;
            leases--;
            Held own = held.get(owner);
            own.add(-memoryBytes, -cpus, -1);
            if (own.count == 0) {
                held.remove(owner);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private record Waiter(LeaseOwner owner, long memory, int cpus, long arrival) {
    }

    /** What one owner holds. */
    private static final class Held {
        static final Held NONE = new Held();
        long memory;
        int cpus;
        int count;

        void add(long memoryBytes, int vcpus, int leaseCount) {
            memory += memoryBytes;
            cpus += vcpus;
            count += leaseCount;
        }
    }

    /** Memory and vCPUs held for one VM; closing gives them back (once). */
    public final class Lease implements AutoCloseable {
        private final LeaseOwner owner;
        private final long memoryBytes;
        private final int cpus;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(LeaseOwner owner, long memoryBytes, int cpus) {
            this.owner = owner;
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
                release(owner, memoryBytes, cpus);
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
