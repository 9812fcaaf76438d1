package dev.provium.vm;

import dev.provium.Notices;
import dev.provium.config.ProviumConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite of {@value #FILES} test files that each boot the default guest, run a command and stop it, as
 * the engine runs them (two files at a time on this 2-core machine, one service for the run): wall time
 * with every boot cold against a warm boot cache (its snapshot saved by an earlier run). Prints the
 * medians of the suites of each kind and their ratio; asserts nothing about time. Run with scripts/bench.
 */
@EnabledIfSystemProperty(named = "provium.bench", matches = "true|suite")
class SuiteBenchmark {
    private static final int FILES = 20;
    private static final int PARALLEL = 2;
    /** Suites of each kind; a cold suite takes minutes on a loaded 2-core machine ({@code -Dprovium.bench.runs=N}). */
    private static final int RUNS = Integer.getInteger("provium.bench.runs", 1);

    @TempDir
    Path work;

    @Test
    void twentyFilesThatEachBootTheDefaultGuest() throws Exception {
        TestQemu.sharingImages(work, work);
        // a shared machine under load may take minutes to boot a guest: the benchmark measures, it does not time out
        Map<String, String> parameters = Map.of("provium.cache_dir", work.toString(), "provium.boot_timeout", "900");
        ProviumConfig config = ProviumConfig.load(work, key -> Optional.ofNullable(parameters.get(key)));
        suite(config, BootOptions.defaults()); // saves the boot snapshot: the cache is warm from here on
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            cold.add(suite(config, BootOptions.defaults().cold()));
            warm.add(suite(config, BootOptions.defaults()));
        }
        TestQemu.unshareImages(work);
        Stats.report(String.format(Locale.ROOT, "wall time of a suite of %d files that each boot the default guest (%d at a time, %d runs each)",
                FILES, PARALLEL, RUNS), "warm", warm, "cold", cold);
    }

    private static double suite(ProviumConfig config, BootOptions options) throws Exception {
        long start = System.nanoTime();
        ExecutorService files = Executors.newFixedThreadPool(PARALLEL);
        try (VmService service = VmService.create(config, Notices.none())) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                done.add(files.submit(() -> {
                    try (Vm vm = service.create()) {
                        vm.boot(options);
                        if (vm.exec("uname -r").exitCode() != 0) {
                            throw new IllegalStateException("uname failed");
                        }
                        vm.shutdown();
                    }
                    return null;
                }));
            }
            for (Future<?> file : done) {
                file.get();
            }
        } finally {
            files.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
