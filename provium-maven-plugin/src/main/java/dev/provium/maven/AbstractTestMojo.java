package dev.provium.maven;

import dev.provium.maven.runner.RunRequest;
import dev.provium.maven.runner.RunSummary;
import dev.provium.maven.runner.TestPatterns;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** Runs the project's Lua tests and reports them like Surefire: XML per file and a summary. */
abstract class AbstractTestMojo extends AbstractRunMojo {
    /** The JUnit Platform's switches for its Open Test Reporting listener (junit-platform-reporting). */
    private static final String OPEN_TEST_REPORT_ENABLED = "junit.platform.reporting.open.xml.enabled";
    private static final String REPORTING_OUTPUT_DIR = "junit.platform.reporting.output.dir";
    private static final String OPEN_TEST_REPORT_FILE = "open-test-report.xml";

    /** Skips running the tests (Surefire's {@code skipTests}). @since 0.1.0 */
    @Parameter(property = "skipTests", defaultValue = "false")
    protected boolean skipTests;

    /** Skips compiling and running tests (Maven's {@code maven.test.skip}). @since 0.1.0 */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    protected boolean skip;

    /** Skips every Provium test goal. @since 0.1.0 */
    @Parameter(property = "provium.skip", defaultValue = "false")
    protected boolean skipProvium;

    /** Fail when there is no Lua test to run at all. @since 0.1.0 */
    @Parameter(property = "failIfNoTests", defaultValue = "false")
    protected boolean failIfNoTests;

    /** Fail when {@code -Dtest} names Lua tests and none matches. @since 0.1.0 */
    @Parameter(property = "surefire.failIfNoSpecifiedTests", defaultValue = "true")
    protected boolean failIfNoSpecifiedTests;

    /**
     * Also write the JUnit Platform's Open Test Reporting XML ({@code open-test-report.xml}, an event log of the
     * whole run) into the reports directory, for tools that read that format.
     *
     * @since 0.1.0
     */
    @Parameter(property = "provium.openTestReport", defaultValue = "false")
    protected boolean openTestReport;

    /** Where the XML reports go, one {@code TEST-<lua path>.xml} per file. @since 0.1.0 */
    protected abstract File reportsDirectory();

    protected boolean skipped() {
        if (skip || skipTests || skipProvium) {
            getLog().info("Tests are skipped.");
            return true;
        }
        return false;
    }

    /** Runs the tests; returns their summary (also checked against failIfNoTests and -Dtest). */
    protected RunSummary runTests() throws MojoExecutionException, MojoFailureException {
        if (TestPatterns.namesOnlyJavaTests(test)) {
            getLog().info("provium: -Dtest=" + test + " names no Lua test; no Lua test runs");
            return RunSummary.empty();
        }
        Path summaryFile = workDirectory.toPath().resolve(summaryName());
        try {
            Files.deleteIfExists(summaryFile);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot delete " + summaryFile, e);
        }
        getLog().info("");
        getLog().info("-------------------------------------------------------");
        getLog().info(" P R O V I U M   L U A   T E S T S");
        getLog().info("-------------------------------------------------------");
        Map<String, String> parameters = engineParameters();
        if (openTestReport) {
            parameters.put(OPEN_TEST_REPORT_ENABLED, "true");
            parameters.put(REPORTING_OUTPUT_DIR, reportsDirectory().getAbsolutePath());
        }
        RunRequest request = new RunRequest(RunRequest.MODE_TEST, project.getBasedir().toPath(),
                reportsDirectory().toPath(), summaryFile, null, test, parameters);
        launch(request, summaryName().replace(".properties", ""));
        if (openTestReport) {
            getLog().info("provium: Open Test Reporting XML: " + new File(reportsDirectory(), OPEN_TEST_REPORT_FILE));
        }
        RunSummary summary;
        try {
            summary = RunSummary.read(summaryFile);
        } catch (IOException e) {
            throw new MojoExecutionException("the Lua test run left no summary " + summaryFile + ": " + e, e);
        }
        if (summary.tests() == 0 && summary.problem() == null) {
            if (TestPatterns.namesLuaTests(test) && failIfNoSpecifiedTests) {
                throw failure("No Lua tests matching pattern \"" + test + "\" were executed! (Set "
                        + "-Dsurefire.failIfNoSpecifiedTests=false to ignore this error.)");
            }
            if (failIfNoTests) {
                throw failure("No Lua tests to run (failIfNoTests is set).");
            }
        }
        return summary;
    }

    protected abstract String summaryName();

    /** Prints the results like Surefire: failed tests, then the counts. */
    protected void printSummary(RunSummary summary) {
        getLog().info("");
        getLog().info("Results:");
        getLog().info("");
        if (!summary.failed().isEmpty()) {
            getLog().error("Failures: ");
            summary.failed().forEach(line -> getLog().error("  " + line));
        }
        if (!summary.errored().isEmpty()) {
            getLog().error("Errors: ");
            summary.errored().forEach(line -> getLog().error("  " + line));
        }
        if (summary.problem() != null) {
            getLog().error("Run problem: " + summary.problem());
        }
        String counts = "Tests run: " + summary.tests() + ", Failures: " + summary.failures() + ", Errors: "
                + summary.errors() + ", Skipped: " + summary.skipped();
        if (summary.hasFailures()) {
            getLog().error(counts);
        } else if (summary.skipped() > 0) {
            getLog().warn(counts);
        } else {
            getLog().info(counts);
        }
        getLog().info("");
    }

    /** Fails the build on failed tests unless {@code maven.test.failure.ignore}. */
    protected static void check(RunSummary summary, boolean ignoreFailures, File reports, org.apache.maven.plugin.logging.Log log)
            throws MojoFailureException {
        if (!summary.hasFailures()) {
            return;
        }
        String message = "There are Lua test failures.\n\nPlease refer to " + reports + " for the individual test results.";
        if (ignoreFailures) {
            log.error(message);
            return;
        }
        throw new MojoFailureException(message);
    }
}
