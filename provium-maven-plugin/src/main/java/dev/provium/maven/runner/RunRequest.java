package dev.provium.maven.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the Maven goal asks the runner to do, handed over as a properties file so the same request serves a forked
 * JVM and an isolated class loader in Maven's own JVM. Keys: {@code mode} (test or list), {@code projectDir},
 * {@code reportsDir}, {@code summaryFile}, {@code listFile}, {@code test} (the -Dtest patterns) and
 * {@code param.<key>} (JUnit configuration parameters).
 */
public record RunRequest(String mode, Path projectDir, Path reportsDir, Path summaryFile, Path listFile,
                         String testPatterns, Map<String, String> parameters) {

    public static final String MODE_TEST = "test";
    public static final String MODE_LIST = "list";

    public void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("mode", mode);
        properties.setProperty("projectDir", projectDir.toString());
        if (reportsDir != null) {
            properties.setProperty("reportsDir", reportsDir.toString());
        }
        if (summaryFile != null) {
            properties.setProperty("summaryFile", summaryFile.toString());
        }
        if (listFile != null) {
            properties.setProperty("listFile", listFile.toString());
        }
        if (testPatterns != null) {
            properties.setProperty("test", testPatterns);
        }
        parameters.forEach((key, value) -> properties.setProperty("param." + key, value));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "provium run request");
        }
    }

    public static RunRequest read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(properties.stringPropertyNames());
        names.sort(null);
        for (String name : names) {
            if (name.startsWith("param.")) {
                parameters.put(name.substring("param.".length()), properties.getProperty(name));
            }
        }
        return new RunRequest(properties.getProperty("mode", MODE_TEST),
                Path.of(properties.getProperty("projectDir")),
                path(properties, "reportsDir"), path(properties, "summaryFile"), path(properties, "listFile"),
                properties.getProperty("test"), parameters);
    }

    private static Path path(Properties properties, String key) {
        String value = properties.getProperty(key);
        return value == null ? null : Path.of(value);
    }
}
