package dev.provium.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.provium.Notices;
import dev.provium.lua.LuaFailures;
import org.junit.platform.engine.TestExecutionResult;

/**
 * Prints one short line per finished file ({@code net/boot.lua ... ok (3 tests, 2.1s)}), the failed tests
 * under a failed file, and a one-line summary when the engine finishes. Each line is printed whole, so files
 * finishing in parallel do not interleave.
 */
final class ConsoleReporter {

    private final Notices out;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger files = new AtomicInteger();
    private final AtomicInteger failedFiles = new AtomicInteger();
    private final LongAdder passed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder todo = new LongAdder();
    private final LongAdder notRun = new LongAdder();

    ConsoleReporter(Notices out) {
        this.out = out;
    }

    /**
     * @param name       the file's id
     * @param container  whether the file has test() calls (else it is one test itself)
     * @param result     the file's own result (a failure of its top-level code)
     * @param fileTodo   the reason of a todo() at file scope, or null
     */
    void fileFinished(String name, boolean container, FileTally tally, TestExecutionResult result, String fileTodo,
            Duration duration) {
        files.incrementAndGet();
        boolean fileFailed = result.getStatus() == TestExecutionResult.Status.FAILED;
        if (container) {
            passed.add(tally.passed());
            failed.add(tally.failed().size());
            todo.add(tally.todo());
            notRun.add(tally.notRun());
        } else {
            (fileFailed ? failed : fileTodo != null ? todo : passed).increment();
        }
        boolean anyFailure = fileFailed || !tally.failed().isEmpty();
        if (anyFailure) {
            failedFiles.incrementAndGet();
        }
        StringBuilder line = new StringBuilder(name).append(" ... ")
                .append(anyFailure ? "FAIL" : fileTodo != null ? "todo" : "ok")
                .append(" (").append(counts(container, tally)).append(seconds(duration)).append(')');
        for (FileTally.FailedTest test : tally.failed()) {
            line.append(System.lineSeparator()).append("    ").append(test.name()).append(": ").append(test.firstLine());
        }
        if (fileFailed) {
            line.append(System.lineSeparator()).append("    ")
                    .append(result.getThrowable().map(LuaFailures::firstLine).orElse("failed"));
        }
        if (fileTodo != null) {
            line.append(System.lineSeparator()).append("    todo: ").append(fileTodo);
        }
        out.notice(line.toString());
    }

    /** The last lines of a guest's kernel log, after a test that used it failed; printed whole. */
    void kernelLog(String vm, String tail) {
        out.notice("--- kernel log of vm " + vm + " (last lines) ---" + System.lineSeparator() + tail
                + System.lineSeparator() + "---");
    }

    void engineFinished() {
        if (files.get() == 0) {
            return;
        }
        long tests = passed.sum() + failed.sum() + todo.sum() + notRun.sum();
        StringBuilder line = new StringBuilder("provium: ").append(plural(files.get(), "file")).append(", ")
                .append(plural(tests, "test")).append(": ")
                .append(passed.sum()).append(" passed, ")
                .append(failed.sum()).append(" failed, ")
                .append(todo.sum()).append(" todo, ")
                .append(notRun.sum()).append(" not run");
        if (failedFiles.get() > 0) {
            line.append("; ").append(plural(failedFiles.get(), "file")).append(" FAILED");
        }
        line.append(" (").append(seconds(Duration.ofNanos(System.nanoTime() - startNanos))).append(')');
        out.notice(line.toString());
    }

    private static String counts(boolean container, FileTally tally) {
        if (!container) {
            return "";
        }
        StringBuilder counts = new StringBuilder(plural(tally.total(), "test")).append(", ");
        if (!tally.failed().isEmpty()) {
            counts.append(tally.failed().size()).append(" failed, ");
        }
        if (tally.todo() > 0) {
            counts.append(tally.todo()).append(" todo, ");
        }
        if (tally.notRun() > 0) {
            counts.append(tally.notRun()).append(" not run, ");
        }
        return counts.toString();
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
