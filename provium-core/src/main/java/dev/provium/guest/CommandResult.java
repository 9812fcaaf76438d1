package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.nio.charset.StandardCharsets;

/**
 * What a command run by the agent wrote and how it ended: exit code 128 + signal when a signal
 * killed it. {@link ExecResult} and {@link JobResult} add what is particular to each.
 */
@API(status = STABLE)
public abstract class CommandResult {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;
    private final int signal;

    CommandResult(int exitCode, byte[] stdout, byte[] stderr, int signal) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
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

    /** The signal that killed the command, 0 when it exited by itself (or still runs). */
    public int signal() {
        return signal;
    }

    /** "exit N, signal S, X bytes stdout, Y bytes stderr", for toString. */
    String describe(String state) {
        return state + (signal != 0 ? ", signal " + signal : "")
                + ", " + stdout.length + " bytes stdout, " + stderr.length + " bytes stderr";
    }
}
