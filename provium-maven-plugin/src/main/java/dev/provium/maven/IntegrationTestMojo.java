package dev.provium.maven;

import dev.provium.maven.runner.RunSummary;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs the Lua tests like {@code provium:test} but never fails the build: it records the outcome in a summary file
 * that {@code provium:verify} checks after {@code post-integration-test} (Failsafe's split).
 *
 * @since 0.1.0
 */
@Mojo(name = "integration-test", defaultPhase = LifecyclePhase.INTEGRATION_TEST,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public class IntegrationTestMojo extends AbstractTestMojo {

    /** Where the XML reports and the summary go. @since 0.1.0 */
    @Parameter(property = "provium.reportsDirectory", defaultValue = "${project.build.directory}/failsafe-reports")
    private File reportsDirectory;

    /** The summary that provium:verify reads. @since 0.1.0 */
    @Parameter(property = "provium.summaryFile",
            defaultValue = "${project.build.directory}/failsafe-reports/provium-summary.properties")
    private File summaryFile;

    /** Skips the integration tests only (Failsafe's {@code skipITs}). @since 0.1.0 */
    @Parameter(property = "skipITs", defaultValue = "false")
    private boolean skipITs;

    @Override
    protected File reportsDirectory() {
        return reportsDirectory;
    }

    @Override
    protected String summaryName() {
        return "integration-test-summary.properties";
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skipITs) {
            getLog().info("Tests are skipped.");
            return;
        }
        if (skipped()) {
            return;
        }
        RunSummary summary = runTests();
        printSummary(summary);
        try {
            Files.createDirectories(summaryFile.toPath().toAbsolutePath().getParent());
            summary.write(summaryFile.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + summaryFile + ": " + e.getMessage(), e);
        }
    }
}
