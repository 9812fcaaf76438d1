package dev.provium.agent;

import java.nio.charset.StandardCharsets;

/**
 * How a command run by the agent ended, and everything it wrote. A command killed by a signal has
 * exit code 128 + signal; one killed by the guest-side timeout has {@link #timedOut()} set.
 */
public final class ExecResult {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;
    private final boolean timedOut;
    private final int signal;

    ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut, int signal) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.timedOut = timedOut;
        this.signal = signal;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A copy of the bytes the command wrote to its standard output. */
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the bytes the command wrote to its standard error. */
    public byte[] stderr() {
        return stderr.clone();
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** True when the agent killed the command because its timeout expired. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The signal that killed the command, 0 when it exited by itself. */
    public int signal() {
        return signal;
    }

    @Override
    public String toString() {
        return "ExecResult(exit " + exitCode + (signal != 0 ? ", signal " + signal : "")
                + (timedOut ? ", timed out" : "") + ", " + stdout.length + " bytes stdout, "
                + stderr.length + " bytes stderr)";
    }
}
