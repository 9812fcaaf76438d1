package dev.provium.engine;

import static dev.provium.engine.Constants.CLASS_SOURCE_PROPERTY_NAME;
import static dev.provium.engine.Constants.EXCLUDE_PROPERTY_NAME;
import static dev.provium.engine.Constants.INCLUDE_PROPERTY_NAME;
import static dev.provium.engine.Constants.PARALLELISM_PROPERTY_NAME;
import static dev.provium.engine.Constants.PROGRESS_PROPERTY_NAME;
import static dev.provium.engine.Constants.PROJECT_DIR_PROPERTY_NAME;

import dev.provium.config.ProviumConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.platform.engine.ConfigurationParameters;

/** The engine's settings, read once from JUnit configuration parameters; see {@link Constants}. */
final class ProviumConfiguration {

    private final ProviumConfig project;
    private final Path projectDir;
    private final List<Path> roots;
    private final TestFileFilter filter;
    private final int parallelism;
    private final boolean classSource;
    private final boolean progress;

    private ProviumConfiguration(ConfigurationParameters parameters) {
        Path start = Path.of(parameters.get(PROJECT_DIR_PROPERTY_NAME).orElse(System.getProperty("user.dir")));
        this.project = ProviumConfig.load(start, parameters::get);
        this.projectDir = project.projectDir();
        this.roots = project.roots();
        this.filter = new TestFileFilter(
                list(parameters.get(INCLUDE_PROPERTY_NAME).orElse("")), INCLUDE_PROPERTY_NAME,
                list(parameters.get(EXCLUDE_PROPERTY_NAME).orElse("")), EXCLUDE_PROPERTY_NAME);
        this.parallelism = parallelism(parameters);
        this.classSource = flag(parameters, CLASS_SOURCE_PROPERTY_NAME, true);
        this.progress = flag(parameters, PROGRESS_PROPERTY_NAME, true);
    }

    static ProviumConfiguration from(ConfigurationParameters parameters) {
        return new ProviumConfiguration(parameters);
    }

    /** provium.toml with the parameters laid over it: profiles and VM settings. */
    ProviumConfig project() {
        return project;
    }

    Path projectDir() {
        return projectDir;
    }

    List<Path> roots() {
        return roots;
    }

    TestFileFilter filter() {
        return filter;
    }

    int parallelism() {
        return parallelism;
    }

    boolean classSource() {
        return classSource;
    }

    boolean progress() {
        return progress;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int parallelism(ConfigurationParameters parameters) {
        String value = parameters.get(PARALLELISM_PROPERTY_NAME).orElse(null);
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(
                PARALLELISM_PROPERTY_NAME + " must be a whole number of files, 1 or more; got '" + value + "'");
    }

    private static boolean flag(ConfigurationParameters parameters, String key, boolean defaultValue) {
        String value = parameters.get(key).orElse(null);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false; got '" + value + "'");
        };
    }
}
