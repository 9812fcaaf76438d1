package dev.provium.engine;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * The time limit of a file's own code, the code outside its tests: it runs while that code runs and is paused
 * while one of the file's tests runs (tests have limits of their own). When it runs out, {@code onExpiry} runs on
 * the watchdog's thread.
 */
final class FileCodeDeadline {
    private enum State { RUNNING, PAUSED, EXPIRED, ENDED }

    private final Watchdog watchdog;
    private final Duration limit;
    private final Runnable onExpiry;
    private Duration left;
    private long resumedAt;
    private ScheduledFuture<?> timer;
    private State state = State.PAUSED;

    FileCodeDeadline(Watchdog watchdog, Duration limit, Runnable onExpiry) {
        this.watchdog = watchdog;
        this.limit = limit;
        this.left = limit;
        this.onExpiry = onExpiry;
    }

    Duration limit() {
        return limit;
    }

    /** Starts (or restarts) counting the file's own time. */
    synchronized void resume() {
        if (state != State.PAUSED) {
            return;
        }
        state = State.RUNNING;
        resumedAt = System.nanoTime();
        timer = watchdog.after(left, this::expire);
    }

    /** Stops counting while a test runs. */
    synchronized void pause() {
        if (state != State.RUNNING) {
            return;
        }
        timer.cancel(false);
        left = left.minusNanos(System.nanoTime() - resumedAt);
        state = State.PAUSED;
    }

    /** Whether the limit ran out and the file's code has not ended since. */
    synchronized boolean expired() {
        return state == State.EXPIRED;
    }

    /** The file's code ended; returns whether its limit had run out. */
    synchronized boolean end() {
        if (timer != null) {
            timer.cancel(false);
        }
        boolean expired = state == State.EXPIRED;
        state = State.ENDED;
        return expired;
    }

    private void expire() {
        synchronized (this) {
            if (state != State.RUNNING) {
                return; // paused or ended just as the timer fired
            }
            state = State.EXPIRED;
        }
        onExpiry.run();
    }
}
