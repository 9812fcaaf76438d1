package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.config.MemorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourcePoolTest {
    private static final long MIB = 1 << 20;
    private static final long GIB = 1024 * MIB;
    private static final Duration LONG = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** A host whose MemAvailable the test changes. */
    private static final class FakeMemory implements HostMemory {
        volatile long available;
        final long total;

        FakeMemory(long available, long total) {
            this.available = available;
            this.total = total;
        }

        @Override
        public long availableBytes() {
            return available;
        }

        @Override
        public long totalBytes() {
            return total;
        }
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static ResourcePool autoPool(FakeMemory memory) {
        return new ResourcePool(OptionalLong.empty(), OptionalInt.empty(), memory);
    }

    private static ResourcePool budget(long memory, OptionalInt cpus) {
        return new ResourcePool(OptionalLong.of(memory), cpus, new FakeMemory(0, 0));
    }

    private void awaitQueued(ResourcePool pool, int count) throws InterruptedException {
        while (pool.queued() != count) {
            Thread.sleep(5);
        }
    }

    private static ResourcePool.Lease acquireAs(LeaseOwner owner, ResourcePool pool, long memory) throws InterruptedException {
        LeaseOwner.Scope scope = owner.enter();
        try {
            return pool.acquire(memory, 1, LONG);
        } finally {
            scope.close();
        }
    }

    private Future<ResourcePool.Lease> submitAs(LeaseOwner owner, ResourcePool pool, long memory) {
        return threads.submit(() -> acquireAs(owner, pool, memory));
    }

    @Test
    void autoModeAdmitsWhatFitsInMemAvailableMinusTheReserve() throws InterruptedException {
        ResourcePool pool = autoPool(new FakeMemory(3 * GIB + 512 * MIB, 16 * GIB));

        try (ResourcePool.Lease first = pool.acquire(MemorySize.parse("1G"), 1, LONG);
             ResourcePool.Lease second = pool.acquire(MemorySize.parse("1G"), 1, LONG)) {
            assertThat(first.memoryBytes() + second.memoryBytes()).isEqualTo(2 * GIB);
            // waiting for the host alone (the two leases are "other owners": each anonymous boot is its own)
            // would go on while they are held; a timeout applies once nobody in the pool holds anything
        }
        FakeMemory tight = new FakeMemory(2 * GIB, 16 * GIB);
        assertThatThrownBy(() -> autoPool(tight).acquire(MemorySize.parse("1G"), 1, Duration.ofMillis(1)))
                .isInstanceOf(ResourcePoolException.class)
                .hasMessageContaining("timed out after 0 s waiting for 1024 MiB and 1 vCPU")
                .hasMessageContaining("in use by 0 VMs: 0 MiB and 0 vCPUs of 512 MiB free")
                .hasMessageContaining("taken by other processes");
    }

    @Test
    void vcpusAreOvercommittedWithoutABudget() throws InterruptedException {
        ResourcePool pool = autoPool(new FakeMemory(64 * GIB, 64 * GIB));

        List<ResourcePool.Lease> leases = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            leases.add(pool.acquire(GIB, 16, Duration.ZERO));
        }
        assertThat(leases.stream().mapToInt(ResourcePool.Lease::cpus).sum()).isEqualTo(128);
        leases.forEach(ResourcePool.Lease::close);
    }

    @Test
    void aWaiterIsAdmittedWhenALeaseIsReleased() throws Exception {
        ResourcePool pool = budget(2 * GIB, OptionalInt.empty());
        ResourcePool.Lease running = acquireAs(LeaseOwner.named("a.lua"), pool, 2 * GIB);

        Future<ResourcePool.Lease> waiting = submitAs(LeaseOwner.named("b.lua"), pool, GIB);
        awaitQueued(pool, 1);
        assertThat(waiting.isDone()).isFalse();

        running.close();
        running.close();
        try (ResourcePool.Lease admitted = waiting.get(30, TimeUnit.SECONDS)) {
            assertThat(admitted.memoryBytes()).isEqualTo(GIB);
        }
    }

    @Test
    void autoModeNoticesMemoryFreedOutsideThePool() throws Exception {
        FakeMemory memory = new FakeMemory(2 * GIB, 64 * GIB);
        ResourcePool pool = autoPool(memory);

        Future<ResourcePool.Lease> waiting = threads.submit(() -> pool.acquire(GIB, 1, LONG));
        awaitQueued(pool, 1);
        memory.available = 4 * GIB;

        waiting.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        ResourcePool pool = budget(3 * GIB, OptionalInt.empty());
        ResourcePool.Lease running = acquireAs(LeaseOwner.named("a.lua"), pool, 2 * GIB);
        Future<ResourcePool.Lease> big = submitAs(LeaseOwner.named("big.lua"), pool, 2 * GIB);
        awaitQueued(pool, 1);
        Future<ResourcePool.Lease> small = submitAs(LeaseOwner.named("small.lua"), pool, GIB);
        awaitQueued(pool, 2);

        // 1 GiB is free, enough for the small request, but the big one came first
        assertThat(small.isDone()).isFalse();
        running.close();
        ResourcePool.Lease bigLease = big.get(30, TimeUnit.SECONDS);
        small.get(30, TimeUnit.SECONDS).close();
        bigLease.close();
    }

    @Test
    void aFileThatHoldsGuestsGoesBeforeFilesThatHoldNone() throws Exception {
        ResourcePool pool = budget(3 * GIB, OptionalInt.empty());
        LeaseOwner holder = LeaseOwner.named("two-guests.lua");
        ResourcePool.Lease own = acquireAs(holder, pool, GIB);
        ResourcePool.Lease other = acquireAs(LeaseOwner.named("other.lua"), pool, 2 * GIB);
        Future<ResourcePool.Lease> newcomer = submitAs(LeaseOwner.named("new.lua"), pool, GIB);
        awaitQueued(pool, 1);
        Future<ResourcePool.Lease> second = submitAs(holder, pool, GIB);
        awaitQueued(pool, 2);

        other.close();
        ResourcePool.Lease secondLease = second.get(30, TimeUnit.SECONDS);
        newcomer.get(30, TimeUnit.SECONDS).close();
        assertThat(secondLease.memoryBytes()).isEqualTo(GIB);
        secondLease.close();
        own.close();
    }

    @Test
    void aRequestOnlyTheFilesOwnGuestsCouldMakeRoomForFailsAtOnce() throws InterruptedException {
        ResourcePool pool = budget(2 * GIB, OptionalInt.empty());
        LeaseOwner file = LeaseOwner.named("two-guests.lua");
        try (ResourcePool.Lease first = acquireAs(file, pool, GIB + 512 * MIB)) {
            assertThatThrownBy(() -> acquireAs(file, pool, GIB))
                    .isInstanceOf(ResourcePoolException.class)
                    .hasMessageStartingWith("two-guests.lua asks for 1024 MiB and 1 vCPU while it holds 1536 MiB and 1 vCPU in 1 VM:"
                            + " only releasing its own guests could make room, so it would wait for itself")
                    .hasMessageContaining("the limit is 2048 MiB (the provium.memory budget)")
                    .hasMessageContaining("vm:shutdown()")
                    .hasMessageContaining("raise provium.memory");
            assertThat(pool.queued()).isZero();
            assertThat(first.memoryBytes()).isEqualTo(GIB + 512 * MIB);
        }
    }

    @Test
    void aFileWaitingWhileNoOtherFileHoldsGuestsFailsAtOnce() throws InterruptedException {
        ResourcePool pool = autoPool(new FakeMemory(3 * GIB, 64 * GIB));
        LeaseOwner file = LeaseOwner.named("two-guests.lua");
        try (ResourcePool.Lease first = acquireAs(file, pool, GIB)) {
            assertThatThrownBy(() -> acquireAs(file, pool, GIB))
                    .hasMessageContaining("only releasing its own guests could make room")
                    .hasMessageContaining("in use by 1 VM: 1024 MiB and 1 vCPU of 1536 MiB free");
            assertThat(first.cpus()).isEqualTo(1);
        }
    }

    @Test
    void whenEveryFileHoldingGuestsWaitsTheNewestWaiterFails() throws Exception {
        ResourcePool pool = budget(3 * GIB, OptionalInt.empty());
        LeaseOwner a = LeaseOwner.named("a.lua");
        LeaseOwner b = LeaseOwner.named("b.lua");
        ResourcePool.Lease heldByA = acquireAs(a, pool, GIB);
        ResourcePool.Lease heldByB = acquireAs(b, pool, GIB);
        Future<ResourcePool.Lease> aWaits = submitAs(a, pool, 1536 * MIB);
        awaitQueued(pool, 1);

        assertThatThrownBy(() -> acquireAs(b, pool, 1536 * MIB))
                .hasMessageStartingWith("b.lua asks for 1536 MiB and 1 vCPU while it holds 1024 MiB and 1 vCPU in 1 VM,"
                        + " and every other test file holding guests is waiting for memory too");
        assertThat(aWaits.isDone()).isFalse();
        heldByB.close();
        aWaits.get(30, TimeUnit.SECONDS).close();
        heldByA.close();
    }

    @Test
    void neverFittingRequestsFailAtOnce() {
        ResourcePool auto = autoPool(new FakeMemory(8 * GIB, 8 * GIB));

        assertThatThrownBy(() -> auto.acquire(7 * GIB, 1, LONG))
                .hasMessage("a VM with 7168 MiB of memory can never run here: the limit is 6656 MiB "
                        + "(the host's MemTotal minus 1536 MiB kept for the host); boot it with less (vm:boot{memory=...})");
    }

    @Test
    void fixedModeUsesTheBudgetsAndAnExplicitCpuBudgetIsAHardLimit() throws InterruptedException {
        ResourcePool pool = budget(2 * GIB, OptionalInt.of(3));

        try (ResourcePool.Lease a = pool.acquire(GIB, 2, LONG); ResourcePool.Lease b = pool.acquire(GIB / 2, 1, LONG)) {
            assertThat(a.cpus() + b.cpus()).isEqualTo(3);
        }
        LeaseOwner file = LeaseOwner.named("cpus.lua");
        try (ResourcePool.Lease a = acquireAs(file, pool, MIB)) {
            assertThat(a.cpus()).isEqualTo(1);
            assertThatThrownBy(() -> {
                LeaseOwner.Scope scope = file.enter();
                try {
                    pool.acquire(MIB, 3, LONG);
                } finally {
                    scope.close();
                }
            }).hasMessageContaining("cpus.lua asks for 1 MiB and 3 vCPUs while it holds 1 MiB and 1 vCPU")
                    .hasMessageContaining("2048 MiB (the provium.memory budget) and 3 vCPUs (the provium.cpus budget)")
                    .hasMessageContaining("or provium.cpus");
        }
        assertThatThrownBy(() -> pool.acquire(3 * GIB, 1, LONG))
                .hasMessageStartingWith("a VM with 3072 MiB of memory can never run here: the limit is 2048 MiB (the provium.memory budget)");
        assertThatThrownBy(() -> pool.acquire(GIB, 4, LONG))
                .hasMessageStartingWith("a VM with 4 vCPUs can never run here: the limit is 3 vCPUs (the provium.cpus budget)");
    }

    @Test
    void aTimedOutWaiterLetsTheNextOneIn() throws Exception {
        FakeMemory memory = new FakeMemory(2 * GIB, 64 * GIB);
        ResourcePool pool = autoPool(memory);
        CompletableFuture<Throwable> impatient = CompletableFuture.supplyAsync(() -> {
            try {
                pool.acquire(GIB, 1, Duration.ofMillis(200)).close();
                return null;
            } catch (ResourcePoolException | InterruptedException e) {
                return e;
            }
        }, threads);
        awaitQueued(pool, 1);
        Future<ResourcePool.Lease> next = threads.submit(() -> pool.acquire(256 * MIB, 1, LONG));

        assertThat(impatient.get(30, TimeUnit.SECONDS)).isInstanceOf(ResourcePoolException.class);
        next.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void readsProcMeminfoFormat(@TempDir Path dir) throws IOException {
        Path meminfo = Files.writeString(dir.resolve("meminfo"),
                "MemTotal:       32780388 kB\nMemFree:         1000000 kB\nMemAvailable:   24299856 kB\n");
        HostMemory memory = HostMemory.procMeminfo(meminfo);

        assertThat(memory.totalBytes()).isEqualTo(32780388L * 1024);
        assertThat(memory.availableBytes()).isEqualTo(24299856L * 1024);
        Files.writeString(meminfo, "MemTotal: 1 kB\n");
        assertThatThrownBy(memory::availableBytes).hasMessage(meminfo + " has no MemAvailable line");
    }

    @Test
    void theRealHostHasMemoryInfo() {
        HostMemory memory = HostMemory.procMeminfo(Path.of("/proc/meminfo"));

        assertThat(memory.availableBytes()).isPositive().isLessThanOrEqualTo(memory.totalBytes());
    }
}
