package dev.provium.maven;

import dev.provium.maven.runner.ProviumRunner;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * Starts {@link ProviumRunner} on the test class path: the plugin's own artifacts (the engine, the launcher and their
 * dependencies, which the user never declares) first, then the project's test class path without the artifacts the
 * plugin already brings, so one version of each library is loaded and none clashes with Maven's. By default in a
 * forked JVM; in-process in a class loader of its own whose parent is the platform class loader.
 */
final class Forker {

    private final Log log;

    Forker(Log log) {
        this.log = log;
    }

    static List<File> classPath(MavenProject project, PluginDescriptor plugin) throws MojoExecutionException {
        Map<String, File> entries = new LinkedHashMap<>();
        Set<String> pluginKeys = new LinkedHashSet<>();
        entries.put("plugin", plugin.getPluginArtifact().getFile());
        for (Artifact artifact : plugin.getArtifacts()) {
            if (artifact.getFile() != null) {
                entries.put(artifact.getGroupId() + ":" + artifact.getArtifactId(), artifact.getFile());
                pluginKeys.add(artifact.getGroupId() + ":" + artifact.getArtifactId());
            }
        }
        Set<String> projectFiles = new LinkedHashSet<>();
        for (Artifact artifact : project.getArtifacts()) {
            String key = artifact.getGroupId() + ":" + artifact.getArtifactId();
            if (pluginKeys.contains(key) || key.startsWith("org.junit.platform:")) {
                projectFiles.add(artifact.getFile() == null ? "" : artifact.getFile().getAbsolutePath());
            }
        }
        List<File> result = new ArrayList<>(entries.values());
        try {
            for (String element : project.getTestClasspathElements()) {
                if (!projectFiles.contains(new File(element).getAbsolutePath())) {
                    result.add(new File(element));
                }
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("the project's test class path is not resolved: " + e.getMessage(), e);
        }
        return result;
    }

    int fork(List<File> classPath, Path request, String jvm, String argLine, Map<String, String> systemProperties,
             Map<String, String> environment, File workingDirectory) throws MojoExecutionException {
        List<String> command = new ArrayList<>();
        command.add(jvm);
        if (argLine != null && !argLine.isBlank()) {
            command.addAll(List.of(argLine.trim().split("\\s+")));
        }
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + (value == null ? "" : value)));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath.stream().map(File::getAbsolutePath).toList()));
        command.add(ProviumRunner.class.getName());
        command.add(request.toString());
        if (log.isDebugEnabled()) {
            log.debug("provium: forking " + String.join(" ", command));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory).inheritIO();
        environment.forEach((key, value) -> builder.environment().put(key, value == null ? "" : value));
        try {
            Process process = builder.start();
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new MojoExecutionException("interrupted while the Lua tests ran", e);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot start " + jvm + ": " + e.getMessage(), e);
        }
    }

    int inProcess(List<File> classPath, Path request, Map<String, String> systemProperties,
                  Map<String, String> environment) throws MojoExecutionException {
        if (!environment.isEmpty()) {
            log.warn("provium: environmentVariables need a forked JVM (fork=true); ignored in-process");
        }
        List<URL> urls = new ArrayList<>();
        for (File file : classPath) {
            try {
                urls.add(file.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new MojoExecutionException("bad class path entry " + file, e);
            }
        }
        Map<String, String> previous = new LinkedHashMap<>();
        systemProperties.forEach((key, value) -> previous.put(key, System.setProperty(key, value == null ? "" : value)));
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(loader);
            Class<?> runner = loader.loadClass(ProviumRunner.class.getName());
            Method run = runner.getMethod("run", String.class);
            return (Integer) run.invoke(null, request.toString());
        } catch (InvocationTargetException e) {
            throw new MojoExecutionException("the Lua test run failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IOException e) {
            throw new MojoExecutionException("cannot run the Lua tests in-process: " + e, e);
        } finally {
            thread.setContextClassLoader(context);
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }
}
