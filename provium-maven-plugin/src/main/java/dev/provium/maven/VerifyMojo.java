package dev.provium.maven;

import dev.provium.maven.runner.RunSummary;

import java.io.File;
import java.io.IOException;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build when the summary {@code provium:integration-test} recorded has failures or errors.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractMojo {

    /** The summary provium:integration-test wrote. @since 0.1.0 */
    @Parameter(property = "provium.summaryFile",
            defaultValue = "${project.build.directory}/failsafe-reports/provium-summary.properties")
    private File summaryFile;

    /** Where the XML reports are, named in the failure message. @since 0.1.0 */
    @Parameter(property = "provium.reportsDirectory", defaultValue = "${project.build.directory}/failsafe-reports")
    private File reportsDirectory;

    @Parameter(property = "skipTests", defaultValue = "false")
    private boolean skipTests;

    @Parameter(property = "skipITs", defaultValue = "false")
    private boolean skipITs;

    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(property = "provium.skip", defaultValue = "false")
    private boolean skipProvium;

    /** Report failures without failing the build. @since 0.1.0 */
    @Parameter(property = "maven.test.failure.ignore", defaultValue = "false")
    private boolean testFailureIgnore;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || skipTests || skipITs || skipProvium) {
            getLog().info("Tests are skipped.");
            return;
        }
        if (!summaryFile.isFile()) {
            getLog().info("provium: no summary at " + summaryFile + ": provium:integration-test did not run");
            return;
        }
        RunSummary summary;
        try {
            summary = RunSummary.read(summaryFile.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + summaryFile + ": " + e.getMessage(), e);
        }
        getLog().info("Tests run: " + summary.tests() + ", Failures: " + summary.failures() + ", Errors: "
                + summary.errors() + ", Skipped: " + summary.skipped());
        summary.failed().forEach(line -> getLog().error("  " + line));
        summary.errored().forEach(line -> getLog().error("  " + line));
        AbstractTestMojo.check(summary, testFailureIgnore, reportsDirectory, getLog());
    }
}
