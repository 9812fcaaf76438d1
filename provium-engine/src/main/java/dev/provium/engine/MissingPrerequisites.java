package dev.provium.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.vm.MissingPrerequisiteException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.TestAbortedException;

/**
 * Reports each missing prerequisite (no kernel, no QEMU) once per run: the first test or file that meets it
 * fails with the full message and the fix; every later one is reported not run, pointing at that failure,
 * instead of a hundred identical failures. Used by the engine and by the Jupiter extension.
 */
@API(status = INTERNAL)
public final class MissingPrerequisites {
    private static final String UNNAMED = "the first test that needed it";

    private final Map<String, String> reported = new ConcurrentHashMap<>();

    /** A test or file that did not run because of a prerequisite already reported. */
    public static final class NotRun extends TestAbortedException {
        private static final long serialVersionUID = 1L;

        NotRun(String problem, String reportedBy) {
            super("not run: " + firstLine(problem) + " (reported in full by " + reportedBy + ")");
        }
    }

    /** The failure itself the first time its problem is seen, else a {@link NotRun} for it. */
    public Throwable reportOnce(Throwable failure) {
        return reportOnce(failure, UNNAMED);
    }

    /**
     * Like {@link #reportOnce(Throwable)}; {@code where} names the test that meets the problem, so that later
     * ones can point at it (e.g. "test 'boots()' in GuestTest").
     */
    public Throwable reportOnce(Throwable failure, String where) {
        Optional<MissingPrerequisiteException> missing = find(failure);
        if (missing.isEmpty()) {
            return failure;
        }
        String first = reported.putIfAbsent(missing.get().problem(), where);
        return first == null ? failure : new NotRun(missing.get().problem(), first);
    }

    /** The missing prerequisite behind a failure, if that is what it is. */
    public static Optional<MissingPrerequisiteException> find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MissingPrerequisiteException missing) {
                return Optional.of(missing);
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
