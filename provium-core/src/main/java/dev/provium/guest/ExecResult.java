package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import static org.apiguardian.api.API.Status.INTERNAL;


/**
 * How a command run by the agent ended, and everything it wrote. A command killed by a signal has
 * exit code 128 + signal; one killed by the guest-side timeout has {@link #timedOut()} set.
 */
@API(status = STABLE)
public final class ExecResult extends CommandResult {
    private final boolean timedOut;

    @API(status = INTERNAL)
    public ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut, int signal) {
        super(exitCode, stdout, stderr, signal);
        this.timedOut = timedOut;
    }

    /** True when the agent killed the command because its timeout expired. */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public String toString() {
        return "ExecResult(" + describe("exit " + exitCode() + (timedOut ? ", timed out" : "")) + ")";
    }
}
