package dev.provium.maven.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The outcome of a run as the Maven goal reports it, like Surefire's: counts, and one line per failed test. Written
 * by the runner (to a temporary file, then moved into place) and read by the goal; {@code provium:verify} reads the
 * one {@code provium:integration-test} left.
 */
public record RunSummary(int tests, int failures, int errors, int skipped, List<String> failed, List<String> errored,
                         String problem) {

    public static RunSummary empty() {
        return new RunSummary(0, 0, 0, 0, List.of(), List.of(), null);
    }

    public boolean hasFailures() {
        return failures > 0 || errors > 0 || problem != null;
    }

    /** Adds another run's outcome (e.g. integration-test run twice before verify). */
    public RunSummary plus(RunSummary other) {
        List<String> allFailed = new ArrayList<>(failed);
        allFailed.addAll(other.failed);
        List<String> allErrored = new ArrayList<>(errored);
        allErrored.addAll(other.errored);
        return new RunSummary(tests + other.tests, failures + other.failures, errors + other.errors,
                skipped + other.skipped, allFailed, allErrored, problem != null ? problem : other.problem);
    }

    public void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("tests", Integer.toString(tests));
        properties.setProperty("failures", Integer.toString(failures));
        properties.setProperty("errors", Integer.toString(errors));
        properties.setProperty("skipped", Integer.toString(skipped));
        for (int i = 0; i < failed.size(); i++) {
            properties.setProperty("failed." + i, failed.get(i));
        }
        for (int i = 0; i < errored.size(); i++) {
            properties.setProperty("errored." + i, errored.get(i));
        }
        if (problem != null) {
            properties.setProperty("problem", problem);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".summary", ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "provium run summary");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static RunSummary read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return new RunSummary(count(properties, "tests"), count(properties, "failures"), count(properties, "errors"),
                count(properties, "skipped"), list(properties, "failed."), list(properties, "errored."),
                properties.getProperty("problem"));
    }

    private static int count(Properties properties, String key) {
        return Integer.parseInt(properties.getProperty(key, "0"));
    }

    private static List<String> list(Properties properties, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 0; properties.containsKey(prefix + i); i++) {
            values.add(properties.getProperty(prefix + i));
        }
        return values;
    }
}
