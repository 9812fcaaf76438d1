package dev.provium.engine;

import dev.provium.config.Constants;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine is compiled against JUnit Platform 1.14; IDEs and newer builds bring Platform 6. Its Console
 * Launcher (copied into target/junit6 by the build) runs the engine in a JVM of its own, with our class
 * path minus the Platform 1.x jars.
 */
class Platform6LauncherTest {
    private static final Path LAUNCHER = Path.of("target/junit6/junit-platform-console-standalone.jar");

    @TempDir
    Path reports;

    @Test
    void aPlatform6LauncherRunsTheEngine() throws Exception {
        assertThat(LAUNCHER).as("copied by maven-dependency-plugin in process-test-resources").exists();
        Path project = Scenarios.dir("console");
        List<String> command = List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", LAUNCHER.toString(), "execute",
                "--disable-banner", "--include-engine=provium", "--class-path=" + engineClassPath(),
                "--select-directory=" + project.resolve("net"),
                "--config=" + Constants.parameter(Constants.PROJECT_DIR) + "=" + project,
                "--config=" + Constants.parameter(Constants.ROOTS) + "=.",
                "--reports-dir=" + reports);
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(launcher.getInputStream().readAllBytes());
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(launcher.exitValue()).as("exit code (tests failed on purpose), output:%n%s", output).isEqualTo(1);
        assertThat(output).contains("4 tests found").contains("1 tests successful").contains("2 tests failed");
        assertThat(Files.readString(reports.resolve("TEST-provium.xml")))
                .contains("testcase name=\"passes\" classname=\"net/report.lua\"")
                .contains("not implemented yet");
    }

    /** This JVM's test class path without the JUnit Platform, Jupiter and their companions. */
    private static String engineClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString()
                        .matches("(junit-platform|junit-jupiter|opentest4j|apiguardian|assertj).*"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
