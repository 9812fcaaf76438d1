package dev.provium.maven;

import dev.provium.maven.runner.ProviumRunner;
import dev.provium.maven.runner.RunRequest;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What the goals that run the engine share: the project, how to start the runner (forked by default) and the
 * configuration parameters handed to the engine. Parameters have Surefire's names where they mean the same.
 */
abstract class AbstractRunMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    protected PluginDescriptor plugin;

    /**
     * Which Lua tests to run, as Surefire's {@code -Dtest}: {@code net/routes.lua}, {@code 'net/*.lua'},
     * {@code routes.lua} (that name in any directory), {@code 'routes.lua#a test name'} (one test; {@code *}
     * matches any characters). Comma-separated. Patterns that name no {@code .lua} file are left to Surefire.
     *
     * @since 0.1.0
     */
    @Parameter(property = "test")
    protected String test;

    /**
     * JUnit configuration parameters for the engine, in properties format, as Surefire's
     * {@code <configurationParameters>}. Settings of this plugin ({@code parallelism}, {@code settings}) win.
     *
     * @since 0.1.0
     */
    @Parameter
    protected String configurationParameters;

    /**
     * {@code [provium]} settings of {@code provium.toml} to override, by name without the prefix:
     * {@code <settings><accel>tcg</accel><boot_timeout>120</boot_timeout></settings>}. Every user property
     * {@code -Dprovium.<name>=…} of the Maven command line is passed on as well.
     *
     * @since 0.1.0
     */
    @Parameter
    protected Map<String, String> settings = new LinkedHashMap<>();

    /**
     * How many Lua files run at the same time (the engine's {@code provium.parallelism}); default: the host's
     * processors.
     *
     * @since 0.1.0
     */
    @Parameter(property = "provium.parallelism")
    protected Integer parallelism;

    /** System properties of the JVM that runs the tests. @since 0.1.0 */
    @Parameter
    protected Map<String, String> systemPropertyVariables = new LinkedHashMap<>();

    /** Environment variables of the forked JVM (and so of QEMU and make). @since 0.1.0 */
    @Parameter
    protected Map<String, String> environmentVariables = new LinkedHashMap<>();

    /**
     * Run the tests in a forked JVM (default) whose class path is the project's test class path plus the engine;
     * {@code false} runs them in Maven's JVM, in a class loader of their own.
     *
     * @since 0.1.0
     */
    @Parameter(property = "provium.fork", defaultValue = "true")
    protected boolean fork;

    /** Extra options of the forked JVM, as Surefire's {@code argLine}. @since 0.1.0 */
    @Parameter(property = "argLine")
    protected String argLine;

    /** The java executable of the forked JVM; default: the one running Maven. @since 0.1.0 */
    @Parameter(property = "provium.jvm")
    protected String jvm;

    /** Where the request, summary and listing files go. */
    @Parameter(defaultValue = "${project.build.directory}/provium", readonly = true)
    protected File workDirectory;

    /** Builds the request's configuration parameters. */
    protected Map<String, String> engineParameters() throws MojoExecutionException {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (configurationParameters != null && !configurationParameters.isBlank()) {
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(configurationParameters));
            } catch (IOException e) {
                throw new MojoExecutionException("configurationParameters: " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(key -> parameters.put(key, properties.getProperty(key).trim()));
        }
        Properties user = session.getUserProperties();
        for (String key : user.stringPropertyNames()) {
            if (key.startsWith("provium.")) {
                parameters.put(key, user.getProperty(key));
            }
        }
        settings.forEach((key, value) -> parameters.put(key.startsWith("provium.") ? key : "provium." + key, value));
        if (parallelism != null) {
            parameters.put("provium.parallelism", Integer.toString(parallelism));
        }
        return parameters;
    }

    /** Runs the runner with {@code request}, forked or in-process; fails when the run itself broke. */
    protected void launch(RunRequest request, String name) throws MojoExecutionException {
        Path requestFile = workDirectory.toPath().resolve(name + "-request.properties");
        try {
            request.write(requestFile);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + requestFile + ": " + e.getMessage(), e);
        }
        Forker forker = new Forker(getLog());
        List<File> classPath = Forker.classPath(project, plugin);
        int exit = fork
                ? forker.fork(classPath, requestFile, javaExecutable(), argLine, systemPropertyVariables,
                environmentVariables, project.getBasedir())
                : forker.inProcess(classPath, requestFile, systemPropertyVariables, environmentVariables);
        if (exit != ProviumRunner.OK) {
            throw new MojoExecutionException("The Lua test run broke (exit code " + exit
                    + "); its error is printed above");
        }
    }

    private String javaExecutable() {
        if (jvm != null && !jvm.isBlank()) {
            return jvm;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    protected static MojoFailureException failure(String message) {
        return new MojoFailureException(message);
    }
}
