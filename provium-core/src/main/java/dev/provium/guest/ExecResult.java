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
    private final String command;
    private final boolean timedOut;

    @API(status = INTERNAL)
    public ExecResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut, int signal) {
        this("", exitCode, stdout, stderr, timedOut, signal);
    }

    @API(status = INTERNAL)
    public ExecResult(String command, int exitCode, byte[] stdout, byte[] stderr, boolean timedOut, int signal) {
        super(exitCode, stdout, stderr, signal);
        this.command = command;
        this.timedOut = timedOut;
    }

    /** The command that was run ({@code /bin/sh -c command}); empty when not recorded. */
    public String command() {
        return command;
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
