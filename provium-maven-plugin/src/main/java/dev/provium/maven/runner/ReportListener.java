package dev.provium.maven.runner;

import dev.provium.maven.runner.XmlReports.Case;
import dev.provium.maven.runner.XmlReports.Status;
import dev.provium.maven.runner.XmlReports.Suite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns the engine's events into one report per Lua file and the run's summary. A file's events all come from the
 * thread that runs it. A test's output is what its file printed while it ran (the engine runs its body between
 * started and finished); what the file's own code prints outside its tests goes to the suite's {@code <system-out>},
 * and what it prints after its last test (e.g. the path of a failed guest's console log, printed when the file's
 * guests are shut down) also to that of every failed test of the file.
 */
final class ReportListener implements TestExecutionListener {

    private final XmlReports reports;
    private final OutputCapture capture;
    private final Map<String, FileRun> files = new ConcurrentHashMap<>();
    private final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errored = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile TestPlan plan;
    private int tests;
    private int failures;
    private int errors;
    private int skipped;

    private static final class FileRun {
        final String path;
        final Instant started = Instant.now();
        final long startNanos = System.nanoTime();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        /** What the file's own code printed outside its tests, so far. */
        final StringBuilder outsideTests = new StringBuilder();
        final List<Case> cases = new ArrayList<>();
        long mark = System.nanoTime();

        FileRun(String path) {
            this.path = path;
        }

        String drain() {
            synchronized (out) {
                String text = out.toString(StandardCharsets.UTF_8);
                out.reset();
                return text;
            }
        }

        double sinceMark() {
            long now = System.nanoTime();
            double seconds = (now - mark) / 1e9;
            mark = now;
            return seconds;
        }
    }

    ReportListener(XmlReports reports, OutputCapture capture) {
        this.reports = reports;
        this.capture = capture;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        if (isFile(identifier)) {
            FileRun run = new FileRun(TestPatterns.fileId(identifier).orElseThrow());
            files.put(identifier.getUniqueId(), run);
            capture.bind(run.out);
        } else if (plan.getParent(identifier).filter(this::isFile).isPresent()) {
            fileOf(identifier).ifPresent(run -> {
                run.outsideTests.append(run.drain());
                run.sinceMark();
            });
        }
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (isFile(identifier)) {
            // never started: report the file and each of its tests as skipped
            FileRun run = new FileRun(TestPatterns.fileId(identifier).orElseThrow());
            List<TestIdentifier> children = identifier.isContainer()
                    ? new ArrayList<>(plan.getChildren(identifier)) : List.of(identifier);
            for (TestIdentifier test : children) {
                run.cases.add(skippedCase(run, test, reason));
            }
            writeReport(run, "");
            return;
        }
        fileOf(identifier).ifPresent(run -> run.cases.add(skippedCase(run, identifier, reason)));
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (isFile(identifier)) {
            FileRun run = files.remove(identifier.getUniqueId());
            capture.unbind();
            if (run == null) {
                return;
            }
            if (identifier.isTest()) {
                run.cases.add(finishedCase(run, identifier, run.path, result));
            } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                // the file's own code failed (outside any test): a testcase named after the file says so
                run.cases.add(finishedCase(run, identifier, run.path, result));
            }
            writeReport(run, run.drain());
            return;
        }
        if (identifier.isTest()) {
            fileOf(identifier).ifPresent(run -> run.cases.add(finishedCase(run, identifier, identifier.getDisplayName(), result)));
        } else if (plan.getParent(identifier).isEmpty() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            String message = result.getThrowable().map(ReportListener::firstLine).orElse("failed");
            problems.add("engine " + identifier.getDisplayName() + ": " + message);
            result.getThrowable().ifPresent(t -> t.printStackTrace(System.err));
        }
    }

    private Case skippedCase(FileRun run, TestIdentifier test, String reason) {
        String name = isFile(test) ? run.path : test.getDisplayName();
        synchronized (this) {
            tests++;
            skipped++;
        }
        return new Case(name, run.path, run.sinceMark(), Status.SKIPPED, reason, null, null, run.drain());
    }

    private Case finishedCase(FileRun run, TestIdentifier test, String name, TestExecutionResult result) {
        Status status = switch (result.getStatus()) {
            case SUCCESSFUL -> Status.PASSED;
            case ABORTED -> Status.SKIPPED;
            case FAILED -> result.getThrowable().filter(t -> t instanceof AssertionError).isPresent()
                    ? Status.FAILED : Status.ERROR;
        };
        Throwable throwable = result.getThrowable().orElse(null);
        String message = throwable == null ? null : throwable.getMessage();
        synchronized (this) {
            tests++;
            switch (status) {
                case FAILED -> {
                    failures++;
                    failed.add(run.path + "#" + name + " » " + firstLine(throwable));
                }
                case ERROR -> {
                    errors++;
                    errored.add(run.path + "#" + name + " » " + firstLine(throwable));
                }
                case SKIPPED -> skipped++;
                default -> {
                }
            }
        }
        return new Case(name, run.path, run.sinceMark(), status, message,
                throwable == null ? null : throwable.getClass().getName(),
                status == Status.FAILED || status == Status.ERROR ? stackTrace(throwable) : null, run.drain());
    }

    private void writeReport(FileRun run, String trailing) {
        List<Case> cases = run.cases;
        String logLines = trailing.lines().filter(line -> line.contains("console log"))
                .collect(Collectors.joining("\n"));
        if (!logLines.isEmpty()) {
            List<Case> withLogs = new ArrayList<>();
            for (Case c : cases) {
                boolean bad = c.status() == Status.FAILED || c.status() == Status.ERROR;
                withLogs.add(bad ? new Case(c.name(), c.classname(), c.seconds(), c.status(), c.message(), c.type(),
                        c.trace(), c.out() + (c.out().isEmpty() || c.out().endsWith("\n") ? "" : "\n") + logLines + "\n")
                        : c);
            }
            cases = withLogs;
        }
        try {
            reports.write(new Suite(run.path, run.started, (System.nanoTime() - run.startNanos) / 1e9, cases,
                    run.outsideTests + trailing));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isFile(TestIdentifier identifier) {
        return TestPatterns.fileId(identifier).isPresent();
    }

    private Optional<FileRun> fileOf(TestIdentifier identifier) {
        Optional<TestIdentifier> current = Optional.of(identifier);
        while (current.isPresent()) {
            if (isFile(current.get())) {
                return Optional.ofNullable(files.get(current.get().getUniqueId()));
            }
            current = plan.getParent(current.get());
        }
        return Optional.empty();
    }

    RunSummary summary() {
        synchronized (this) {
            return new RunSummary(tests, failures, errors, skipped, List.copyOf(failed), List.copyOf(errored),
                    problems.isEmpty() ? null : String.join("; ", problems));
        }
    }

    static String firstLine(Throwable throwable) {
        if (throwable == null) {
            return "";
        }
        String message = throwable.getMessage();
        if (message == null || message.isBlank()) {
            return throwable.getClass().getName();
        }
        return message.lines().findFirst().orElse(message);
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter text = new StringWriter();
        throwable.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
