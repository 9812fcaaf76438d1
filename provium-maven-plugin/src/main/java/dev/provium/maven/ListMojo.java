package dev.provium.maven;

import dev.provium.maven.runner.RunRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Lists the Lua tests {@code provium:test} would run, honouring {@code -Dtest}: one line per test with its file, line
 * and name, found by the engine's own discovery through the JUnit Platform Launcher (nothing runs, no guest boots).
 *
 * @since 0.1.0
 */
@Mojo(name = "list", requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
public class ListMojo extends AbstractRunMojo {

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path listFile = workDirectory.toPath().resolve("tests.txt");
        RunRequest request = new RunRequest(RunRequest.MODE_LIST, project.getBasedir().toPath(), null, null,
                listFile, test, engineParameters());
        launch(request, "list");
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("the listing left no " + listFile + ": " + e.getMessage(), e);
        }
        int width = lines.stream().mapToInt(line -> line.indexOf('\t')).max().orElse(0);
        for (String line : lines) {
            int tab = line.indexOf('\t');
            getLog().info(String.format("%-" + Math.max(width, 1) + "s  %s", line.substring(0, tab), line.substring(tab + 1)));
        }
        getLog().info(lines.size() + (lines.size() == 1 ? " test" : " tests")
                + (test == null || test.isBlank() ? "" : " matching " + test));
    }
}
