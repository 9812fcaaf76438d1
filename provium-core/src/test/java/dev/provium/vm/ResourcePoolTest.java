package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.config.MemorySize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private static ResourcePool autoPool(FakeMemory memory, int cores) {
        return new ResourcePool(OptionalLong.empty(), OptionalInt.empty(), memory, cores);
    }

    private void awaitQueued(ResourcePool pool, int count) throws InterruptedException {
        while (pool.queued() != count) {
            Thread.sleep(5);
        }
    }

    @Test
    void autoModeAdmitsWhatFitsInMemAvailableMinusTheReserve() throws InterruptedException {
        ResourcePool pool = autoPool(new FakeMemory(3 * GIB + 512 * MIB, 16 * GIB), 4);

        try (ResourcePool.Lease first = pool.acquire(MemorySize.parse("1G"), 1, LONG);
             ResourcePool.Lease second = pool.acquire(MemorySize.parse("1G"), 1, LONG)) {
            assertThat(first.memoryBytes() + second.memoryBytes()).isEqualTo(2 * GIB);
            assertThatThrownBy(() -> pool.acquire(MemorySize.parse("512M"), 1, Duration.ofMillis(1)))
                    .isInstanceOf(ResourcePoolException.class)
                    .hasMessageContaining("timed out")
                    .hasMessageContaining("waiting for 512 MiB and 1 vCPU")
                    .hasMessageContaining("in use by 2 VMs: 2048 MiB and 2 vCPUs");
        }
    }

    @Test
    void aWaiterIsAdmittedWhenALeaseIsReleased() throws Exception {
        ResourcePool pool = autoPool(new FakeMemory(64 * GIB, 64 * GIB), 2);
        ResourcePool.Lease running = pool.acquire(GIB, 2, LONG);

        Future<ResourcePool.Lease> waiting = threads.submit(() -> pool.acquire(GIB, 1, LONG));
        awaitQueued(pool, 1);
        assertThat(waiting.isDone()).isFalse();

        running.close();
        running.close();
        try (ResourcePool.Lease admitted = waiting.get(30, TimeUnit.SECONDS)) {
            assertThat(admitted.cpus()).isEqualTo(1);
        }
    }

    @Test
    void autoModeNoticesMemoryFreedOutsideThePool() throws Exception {
        FakeMemory memory = new FakeMemory(2 * GIB, 64 * GIB);
        ResourcePool pool = autoPool(memory, 8);

        Future<ResourcePool.Lease> waiting = threads.submit(() -> pool.acquire(GIB, 1, LONG));
        awaitQueued(pool, 1);
        memory.available = 4 * GIB;

        waiting.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void waitersAreAdmittedInArrivalOrder() throws Exception {
        ResourcePool pool = autoPool(new FakeMemory(64 * GIB, 64 * GIB), 2);
        ResourcePool.Lease running = pool.acquire(GIB, 1, LONG);
        Future<ResourcePool.Lease> big = threads.submit(() -> pool.acquire(GIB, 2, LONG));
        awaitQueued(pool, 1);
        Future<ResourcePool.Lease> small = threads.submit(() -> pool.acquire(GIB, 1, LONG));
        awaitQueued(pool, 2);

        // one vCPU is free, enough for the small request, but the big one came first
        assertThat(small.isDone()).isFalse();
        running.close();
        ResourcePool.Lease bigLease = big.get(30, TimeUnit.SECONDS);
        assertThat(small.isDone()).isFalse();
        bigLease.close();
        small.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void neverFittingRequestsFailAtOnce() {
        ResourcePool auto = autoPool(new FakeMemory(8 * GIB, 8 * GIB), 2);

        assertThatThrownBy(() -> auto.acquire(GIB, 3, LONG))
                .isInstanceOf(ResourcePoolException.class)
                .hasMessage("a VM with 3 vCPUs can never run here: the limit is 2 vCPUs (the host's cores)");
        assertThatThrownBy(() -> auto.acquire(7 * GIB, 1, LONG))
                .hasMessage("a VM with 7168 MiB of memory can never run here: the limit is 6656 MiB "
                        + "(the host's MemTotal minus 1536 MiB kept for the host)");
    }

    @Test
    void fixedModeUsesTheBudgets() throws InterruptedException {
        ResourcePool pool = new ResourcePool(OptionalLong.of(2 * GIB), OptionalInt.of(3), new FakeMemory(0, 0), 1);

        try (ResourcePool.Lease a = pool.acquire(GIB, 2, LONG); ResourcePool.Lease b = pool.acquire(GIB, 1, LONG)) {
            assertThat(a.cpus() + b.cpus()).isEqualTo(3);
            assertThatThrownBy(() -> pool.acquire(MIB, 1, Duration.ZERO)).hasMessageContaining("of 2048 MiB budget and 3 vCPUs");
        }
        assertThatThrownBy(() -> pool.acquire(3 * GIB, 1, LONG))
                .hasMessage("a VM with 3072 MiB of memory can never run here: the limit is 2048 MiB (the provium.memory budget)");
        assertThatThrownBy(() -> pool.acquire(GIB, 4, LONG))
                .hasMessage("a VM with 4 vCPUs can never run here: the limit is 3 vCPUs (the provium.cpus budget)");
    }

    @Test
    void aTimedOutWaiterLetsTheNextOneIn() throws Exception {
        ResourcePool pool = autoPool(new FakeMemory(64 * GIB, 64 * GIB), 2);
        ResourcePool.Lease running = pool.acquire(GIB, 1, LONG);
        CompletableFuture<Throwable> impatient = CompletableFuture.supplyAsync(() -> {
            try {
                pool.acquire(GIB, 2, Duration.ofMillis(200)).close();
                return null;
            } catch (ResourcePoolException | InterruptedException e) {
                return e;
            }
        }, threads);
        awaitQueued(pool, 1);
        Future<ResourcePool.Lease> next = threads.submit(() -> pool.acquire(GIB, 1, LONG));

        assertThat(impatient.get(30, TimeUnit.SECONDS)).isInstanceOf(ResourcePoolException.class);
        next.get(30, TimeUnit.SECONDS).close();
        running.close();
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
