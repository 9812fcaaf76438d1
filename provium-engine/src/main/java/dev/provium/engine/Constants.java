package dev.provium.engine;

/**
 * Configuration parameters of the Provium engine. Set them as JUnit configuration parameters: system
 * properties, {@code junit-platform.properties}, Surefire's {@code <configurationParameters>}, or
 * {@code @ConfigurationParameter} on a suite class. All are read in {@link ProviumConfiguration}.
 */
public final class Constants {

    /** The engine's id, as in unique ids {@code [engine:provium]} and {@code @IncludeEngines("provium")}. */
    public static final String ENGINE_ID = "provium";

    /**
     * Directory against which relative paths resolve ({@code provium.roots}, {@code dofile},
     * {@code loadfile}); default: the working directory. {@code provium.toml} is searched from here upward, and
     * where it is found becomes the project directory.
     */
    public static final String PROJECT_DIR_PROPERTY_NAME = "provium.project.dir";

    /**
     * Comma-separated test roots, relative to the project directory; default {@code src/test/lua}, or
     * {@code [provium] roots} in {@code provium.toml}. A test's
     * file is identified by its path under its root, and {@code require("x.y")} searches the roots for
     * {@code x/y.lua}.
     */
    public static final String ROOTS_PROPERTY_NAME =
            dev.provium.config.Constants.PARAMETER_PREFIX + dev.provium.config.Constants.ROOTS;

    /**
     * Comma-separated glob patterns ({@link java.nio.file.FileSystem#getPathMatcher} syntax) matched against a
     * file's path under its root; when set, only matching {@code .lua} files are tests. Example:
     * {@code net/**,boot.lua}.
     */
    public static final String INCLUDE_PROPERTY_NAME = "provium.include";

    /**
     * Comma-separated glob patterns matched like {@link #INCLUDE_PROPERTY_NAME}; matching files are not tests.
     * Files under {@code fixtures/}, {@code helpers/} or {@code lib/} and files named {@code helpers.lua} are
     * never tests, whatever these patterns say.
     */
    public static final String EXCLUDE_PROPERTY_NAME = "provium.exclude";

    /**
     * How many Lua files run at the same time; default: the number of available processors. {@code 1} runs
     * files one after the other. Tests within a file always run in order.
     */
    public static final String PARALLELISM_PROPERTY_NAME = "provium.parallelism";

    /**
     * Whether each file's container carries a {@code ClassSource} named after the file's path under its root
     * (default {@code true}). Surefire 3.5.4 and later name testcases after the nearest {@code ClassSource},
     * so this makes {@code classname} the Lua file. With {@code false} the container gets a {@code FileSource}
     * instead, which lets an IDE open the file from the container node; tests always have a {@code FileSource}
     * with their line.
     */
    public static final String CLASS_SOURCE_PROPERTY_NAME = "provium.reporting.class-source";

    /** Whether to print one line per finished file and a summary to standard output (default {@code true}). */
    public static final String PROGRESS_PROPERTY_NAME = "provium.console.progress";

    private Constants() {
    }
}
