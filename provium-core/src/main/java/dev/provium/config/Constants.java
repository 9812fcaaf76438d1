package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.List;

/**
 * Names and defaults of every configuration setting. A {@code [provium]} key {@code NAME} in
 * {@code provium.toml} can also be given as the JUnit configuration parameter {@code provium.NAME}
 * (system property, {@code junit-platform.properties}, Surefire {@code configurationParameters}),
 * which wins over the file.
 */
@API(status = STABLE)
public final class Constants {
    /** The configuration file, searched from the working directory upward. */
    public static final String CONFIG_FILE_NAME = "provium.toml";

    /** Prefix of the JUnit configuration parameters that override {@code [provium]} settings. */
    public static final String PARAMETER_PREFIX = "provium.";

    /** Test root directories, relative to the project directory; also searched by Lua's require(). */
    public static final String ROOTS = "roots";
    public static final List<String> DEFAULT_ROOTS = List.of("src/test/lua");

    /** QEMU accelerator: auto, kvm or tcg. Default auto. The environment variable {@link #ACCEL_ENV} wins. */
    public static final String ACCEL = "accel";
    public static final String ACCEL_ENV = "PROVIUM_ACCEL";

    /** Memory budget for all running guests together, like "8G". Default: MemAvailable minus a reserve. */
    public static final String MEMORY = "memory";

    /**
     * vCPU budget for all running guests together, a hard limit when set. Default: none; vCPUs are counted but
     * overcommitted (under TCG a vCPU is a host thread), memory being the limit.
     */
    public static final String CPUS = "cpus";

    /** Seconds a boot may take until the agent answers. */
    public static final String BOOT_TIMEOUT = "boot_timeout";
    public static final int DEFAULT_BOOT_TIMEOUT_SECONDS = 60;

    /**
     * Seconds one Lua test may run (default 600) before it fails with "timed out", its guests, workers and jobs
     * are killed and the file goes on with its next test. A file sets its own with {@code provium.timeout(s)}, a
     * test with {@code test(name, {timeout = s}, fn)}.
     */
    public static final String TEST_TIMEOUT = "test_timeout";
    public static final int DEFAULT_TEST_TIMEOUT_SECONDS = 600;

    /**
     * Seconds every guest operation (exec, files, system calls, jobs, snapshots) may take unless the call
     * names its own timeout; a command still running then is killed in the guest. Default 300.
     */
    public static final String OPERATION_TIMEOUT = "operation_timeout";
    public static final int DEFAULT_OPERATION_TIMEOUT_SECONDS = 300;

    /**
     * The most one reply from a guest (a file read, a command's stdout or stderr) may hold in memory, like
     * "64M"; a bigger reply fails its call instead of the JVM. Default: {@value #DEFAULT_REPLY_LIMIT_HEAP_SHARE}
     * of the JVM's maximum heap ({@code Runtime.maxMemory()}, set with -Xmx).
     */
    public static final String REPLY_LIMIT = "reply_limit";
    public static final String DEFAULT_REPLY_LIMIT_HEAP_SHARE = "1/8";

    /**
     * Where kept console logs go, as {@code <log_dir>/<test file>/<vm>/}. Default: {@code target/provium-logs}
     * of the project directory when it has a {@code target} directory, else {@code <cache_dir>/logs}.
     */
    public static final String LOG_DIR = "log_dir";

    /** When to keep console logs and run files: failed, always or never. Default failed. */
    public static final String KEEP_LOGS = "keep_logs";

    /** Where extracted kernels and fixture snapshots are cached. Default $XDG_CACHE_HOME/provium or ~/.cache/provium. */
    public static final String CACHE_DIR = "cache_dir";

    /**
     * Size cap of the fixture snapshots under {@code <cache_dir>/fixtures}, like "10G"; beyond it the
     * least recently used snapshots are deleted.
     */
    public static final String FIXTURE_CACHE_SIZE = "fixture_cache_size";
    public static final String DEFAULT_FIXTURE_CACHE_SIZE = "10G";

    /**
     * true: at the start of a run, delete the fixture snapshots built before this JVM started, so every
     * fixture is built afresh. Default false. As a one-off: {@code mvn test -Dprovium.clear_fixture_cache=true}.
     */
    public static final String CLEAR_FIXTURE_CACHE = "clear_fixture_cache";

    /**
     * Directory where the search for {@code provium.toml} starts (it becomes the project directory when no
     * file is found); default: the working directory. A configuration parameter only.
     */
    public static final String PROJECT_DIR = "project_dir";

    /**
     * Glob patterns ({@link java.nio.file.FileSystem#getPathMatcher} syntax) matched against a file's path
     * under its root; when set, only matching {@code .lua} files are tests. As a parameter: comma-separated,
     * e.g. {@code net/**,boot.lua}.
     */
    public static final String INCLUDE = "include";

    /**
     * Glob patterns matched like {@link #INCLUDE}; matching files are not tests. Files under {@code fixtures/},
     * {@code helpers/} or {@code lib/} and files named {@code helpers.lua} are never tests.
     */
    public static final String EXCLUDE = "exclude";

    /** How many Lua files run at the same time; default: chosen from the host's cores and memory. */
    public static final String PARALLELISM = "parallelism";

    /**
     * Whether each file's container carries a {@code ClassSource} named after the file's path under its root
     * (default true), so that Surefire 3.5.4 and later name testcases after the Lua file. With false the
     * container gets a {@code FileSource}, which lets an IDE open the file from the container node.
     */
    public static final String CLASS_SOURCE = "class_source";

    /** Whether to print a line per finished file and test, a summary and notices (default true). */
    public static final String CONSOLE_PROGRESS = "console_progress";

    /** The profile used by {@code provium.create()} without a name; always exists, a file may redefine it. */
    public static final String DEFAULT_PROFILE = "default";

    /** The configuration parameter of a {@code [provium]} key: {@code provium.<key>}. */
    public static String parameter(String key) {
        return PARAMETER_PREFIX + key;
    }

    private Constants() {
    }
}
