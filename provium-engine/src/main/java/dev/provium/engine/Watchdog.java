package dev.provium.engine;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires test timeouts on one daemon thread per engine run. What a timeout kills may block (a job's kill waits
 * its turn on a busy guest channel), so that runs on other threads and never holds up the next timer.
 */
final class Watchdog implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task ->
            daemon(task, "provium-test-timeouts"));
    private final ExecutorService cleanup = Executors.newCachedThreadPool(task ->
            daemon(task, "provium-timeout-cleanup"));

    ScheduledFuture<?> after(Duration delay, Runnable action) {
        return timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs a timed-out test's cleanup off the timer's thread. */
    void cleanUp(Runnable action) {
        cleanup.execute(action);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        cleanup.shutdown();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
