package dev.provium.agent;

import java.nio.charset.StandardCharsets;

/**
 * What a background job wrote so far and how it ended: exit code -1 while it runs, else like
 * {@link ExecResult}'s (128 + signal when a signal killed it).
 */
public final class JobResult {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;
    private final boolean running;
    private final int signal;

    JobResult(int exitCode, byte[] stdout, byte[] stderr, boolean running, int signal) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.running = running;
        this.signal = signal;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A copy of everything the job wrote to its standard output so far. */
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of everything the job wrote to its standard error so far. */
    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    public boolean running() {
        return running;
    }

    /** The signal that killed the job, 0 when it exited by itself or still runs. */
    public int signal() {
        return signal;
    }

    @Override
    public String toString() {
        return "JobResult(" + (running ? "running" : "exit " + exitCode) + (signal != 0 ? ", signal " + signal : "")
                + ", " + stdout.length + " bytes stdout, " + stderr.length + " bytes stderr)";
    }
}
