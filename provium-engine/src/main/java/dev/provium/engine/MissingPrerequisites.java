package dev.provium.engine;

import dev.provium.vm.MissingPrerequisiteException;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.TestAbortedException;

/**
 * Reports each missing prerequisite (no kernel, no QEMU) once per run: the first test or file that meets it
 * fails with the full message and the fix; every later one is reported not run, pointing at that failure,
 * instead of a hundred identical failures.
 */
final class MissingPrerequisites {
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** A test or file that did not run because of a prerequisite already reported. */
    static final class NotRun extends TestAbortedException {
        private static final long serialVersionUID = 1L;

        NotRun(String problem) {
            super("not run: " + firstLine(problem) + " (reported in full by the first test that needed it)");
        }
    }

    /** The failure itself the first time its problem is seen, else a {@link NotRun} for it. */
    Throwable reportOnce(Throwable failure) {
        Optional<MissingPrerequisiteException> missing = find(failure);
        if (missing.isEmpty() || reported.add(missing.get().problem())) {
            return failure;
        }
        return new NotRun(missing.get().problem());
    }

    private static Optional<MissingPrerequisiteException> find(Throwable failure) {
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
