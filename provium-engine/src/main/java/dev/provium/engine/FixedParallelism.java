package dev.provium.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;

import org.junit.platform.engine.support.hierarchical.ParallelExecutionConfiguration;

/** Runs up to a fixed number of files at once; a file's tests run on its own thread. */
record FixedParallelism(int parallelism) implements ParallelExecutionConfiguration {

    @Override
    public int getParallelism() {
        return parallelism;
    }

    @Override
    public int getMinimumRunnable() {
        return parallelism;
    }

    @Override
    public int getMaxPoolSize() {
        return parallelism + 256;
    }

    @Override
    public int getCorePoolSize() {
        return parallelism;
    }

    @Override
    public int getKeepAliveSeconds() {
        return 30;
    }

    @Override
    public Predicate<? super ForkJoinPool> getSaturatePredicate() {
        return pool -> true;
    }
}
