package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.nio.file.Path;

/**
 * A guest could not start because something the host lacks is missing (no kernel, no QEMU): every later
 * boot would fail the same way, so a test runner reports it once. {@link #problem()} is the same text for
 * every occurrence of the same problem.
 */
@API(status = STABLE)
public class MissingPrerequisiteException extends VmException {
    private static final long serialVersionUID = 1L;

    private final String problem;

    public MissingPrerequisiteException(String problem) {
        this(problem, problem, "", null, null);
    }

    MissingPrerequisiteException(String problem, String reason, String consoleTail, Path consoleLog, Throwable cause) {
        super(reason, consoleTail, consoleLog, cause);
        this.problem = problem;
    }

    /** What is missing and how to install it. */
    public String problem() {
        return problem;
    }
}
