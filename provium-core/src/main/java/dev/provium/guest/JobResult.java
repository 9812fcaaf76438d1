package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import static org.apiguardian.api.API.Status.INTERNAL;


/**
 * What a background job wrote so far and how it ended: exit code -1 while it runs, else like
 * {@link ExecResult}'s (128 + signal when a signal killed it).
 */
@API(status = STABLE)
public final class JobResult extends CommandResult {
    private final boolean running;

    @API(status = INTERNAL)
    public JobResult(int exitCode, byte[] stdout, byte[] stderr, boolean running, int signal) {
        super(exitCode, stdout, stderr, signal);
        this.running = running;
    }

    public boolean running() {
        return running;
    }

    @Override
    public String toString() {
        return "JobResult(" + describe(running ? "running" : "exit " + exitCode()) + ")";
    }
}
