package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.provium.config.ProviumConfig;
import dev.provium.guest.ExecResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many commands on one guest leak neither heap nor file descriptors. The default build runs 1,000; the
 * {@code stress} Maven profile ({@code mvn verify -Pstress}) runs 10,000 ({@code provium.soak.execs}).
 */
class SoakTest {
    private static final int EXECS = Integer.getInteger("provium.soak.execs", 1_000);
    private static final int WARM_UP = 100;
    /** Generous: what one leaked result per exec would exceed at 10,000 execs, far above GC noise. */
    private static final long HEAP_SLACK = 24L << 20;
    private static final int FD_SLACK = 16;

    @TempDir
    static Path project;

    @BeforeAll
    static void needsQemu() {
        TestQemu.assumeInstalled();
    }

    @Test
    void manyExecsOnOneGuestKeepHeapAndDescriptorsFlat() throws IOException {
        try (VmService service = VmService.create(ProviumConfig.load(project)); Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().withMemory("128M"));
            for (int i = 0; i < WARM_UP; i++) {
                run(vm, i);
            }
            long heapBefore = usedHeapAfterGc();
            long fdsBefore = openDescriptors();

            for (int i = 0; i < EXECS; i++) {
                run(vm, i);
            }

            long heapAfter = usedHeapAfterGc();
            long fdsAfter = openDescriptors();
            System.out.printf("soak: %d execs, heap after GC %d -> %d KiB, fds %d -> %d%n", EXECS, heapBefore >> 10,
                    heapAfter >> 10, fdsBefore, fdsAfter);
            assertThat(heapAfter).as("used heap after GC, after %d execs", EXECS).isLessThan(heapBefore + HEAP_SLACK);
            assertThat(fdsAfter).as("open file descriptors after %d execs", EXECS).isLessThanOrEqualTo(fdsBefore + FD_SLACK);
            vm.shutdown();
        }
    }

    private static void run(Vm vm, int i) {
        ExecResult result = vm.exec("echo " + i + "; echo err >&2");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo(i + "\n");
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
