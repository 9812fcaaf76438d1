package dev.provium.engine;

import dev.provium.config.Constants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ConsoleReporterTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final ConsoleReporter console = new ConsoleReporter(new PrintStream(buffer, true, StandardCharsets.UTF_8)::println);

    @Test
    void passingFileIsOneLine() {
        FileTally tally = new FileTally();
        tally.finished("a", TestExecutionResult.successful());
        tally.finished("b", TestExecutionResult.successful());
        tally.finished("c", TestExecutionResult.aborted(new TestAbortedException("later")));

        console.fileFinished("net/boot.lua", true, tally, TestExecutionResult.successful(), null, Duration.ofMillis(2140));

        assertThat(output()).isEqualTo("net/boot.lua ... ok (3 tests, 1 todo, 2.1s)\n");
    }

    @Test
    void failedFileNamesItsFailedTestsWithTheFirstLineOfEachMessage() {
        FileTally tally = new FileTally();
        tally.finished("mounts", TestExecutionResult.successful());
        tally.finished("reads back", TestExecutionResult.failed(
                new AssertionFailedError("mount.lua:12: assert_eq failed\n  expected: 1\n  actual:   2")));
        tally.markNotRun();

        console.fileFinished("mount.lua", true, tally, TestExecutionResult.failed(
                new IllegalStateException("mount.lua:20: boom\nstack traceback:")), null, Duration.ofMillis(50));

        assertThat(output()).isEqualTo("""
                mount.lua ... FAIL (3 tests, 1 failed, 1 not run, 0.1s)
                    reads back: mount.lua:12: assert_eq failed
                    mount.lua:20: boom
                """);
    }

    @Test
    void fileThatIsATestAndFileLevelTodo() {
        console.fileFinished("single.lua", false, new FileTally(), TestExecutionResult.successful(), null,
                Duration.ofMillis(300));
        FileTally skipped = new FileTally();
        skipped.markNotRun();
        console.fileFinished("later.lua", true, skipped, TestExecutionResult.successful(), "needs kernel 6.9",
                Duration.ZERO);

        assertThat(output()).isEqualTo("""
                single.lua ... ok (0.3s)
                later.lua ... todo (1 test, 1 not run, 0.0s)
                    todo: needs kernel 6.9
                """);
    }

    @Test
    void summaryCountsEveryFile() {
        FileTally tally = new FileTally();
        tally.finished("a", TestExecutionResult.successful());
        tally.finished("b", TestExecutionResult.failed(new AssertionError("x")));
        console.fileFinished("a.lua", true, tally, TestExecutionResult.successful(), null, Duration.ZERO);
        console.fileFinished("b.lua", false, new FileTally(), TestExecutionResult.failed(new AssertionError("y")), null,
                Duration.ZERO);
        buffer.reset();

        console.engineFinished();

        assertThat(output()).matches(
                "provium: 2 files, 3 tests: 1 passed, 2 failed, 0 todo, 0 not run; 2 files FAILED \\(\\d+\\.\\ds\\)\n");
    }

    @Test
    void noSummaryWhenNoFileRan() {
        console.engineFinished();

        assertThat(output()).isEmpty();
    }

    @Test
    void consoleProgressFalseSilencesEveryLineOfARun() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Scenarios.engine("toplevel").configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                    .selectors(selectFile(Scenarios.file("toplevel", "fails_midway.lua").toFile())).execute();
        } finally {
            System.setOut(original);
        }

        assertThat(output()).isEmpty();
    }

    @Test
    void engineRunPrintsALinePerFileAndTheSummary() {
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            Scenarios.engine("toplevel").configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "true")
                    .selectors(selectFile(Scenarios.file("toplevel", "fails_midway.lua").toFile())).execute();
        } finally {
            System.setOut(original);
        }

        assertThat(output()).matches("""
                provium: running up to 1 file at once \\(as configured\\)
                fails_midway.lua \\.\\.\\. FAIL \\(3 tests, 2 not run, \\d+\\.\\ds\\)
                    fails_midway.lua:4: attempt to index \\? \\(a nil value\\)
                provium: 1 file, 3 tests: 1 passed, 0 failed, 0 todo, 2 not run; 1 file FAILED \\(\\d+\\.\\ds\\)
                """);
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
