package dev.provium.maven;

import dev.provium.maven.runner.RunSummary;

import java.io.File;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs the project's Lua tests (the test roots of {@code provium.toml}, default {@code src/test/lua}) through the
 * JUnit Platform with the Provium engine, with no Java class, writes Surefire-format XML, prints a summary and fails
 * the build on failures.
 *
 * @since 0.1.0
 */
@Mojo(name = "test", defaultPhase = LifecyclePhase.TEST, requiresDependencyResolution = ResolutionScope.TEST,
        threadSafe = true)
public class TestMojo extends AbstractTestMojo {

    /** Where the XML reports go. @since 0.1.0 */
    @Parameter(property = "provium.reportsDirectory", defaultValue = "${project.build.directory}/surefire-reports")
    private File reportsDirectory;

    /** Report failed tests but do not fail the build (Surefire's {@code maven.test.failure.ignore}). @since 0.1.0 */
    @Parameter(property = "maven.test.failure.ignore", defaultValue = "false")
    private boolean testFailureIgnore;

    @Override
    protected File reportsDirectory() {
        return reportsDirectory;
    }

    @Override
    protected String summaryName() {
        return "test-summary.properties";
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipped()) {
            return;
        }
        RunSummary summary = runTests();
        printSummary(summary);
        check(summary, testFailureIgnore, reportsDirectory, getLog());
    }
}
