package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.config.ConfigDocument.ProfileTable;
import dev.provium.config.ConfigDocument.ProviumTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Provium's configuration: {@code provium.toml} (found from a start directory upward; relative paths
 * resolve against its directory), overlaid by JUnit configuration parameters {@code provium.<name>},
 * over built-in defaults. Immutable; every problem is a {@link ProviumConfigException} naming the
 * file, key and line (or the parameter).
 */
@API(status = STABLE)
public final class ProviumConfig {
    private final Optional<Path> file;
    private final Path projectDir;
    private final List<Path> roots;
    private final AccelMode accel;
    private final Optional<MemorySize> memoryBudget;
    private final OptionalInt cpusBudget;
    private final Duration bootTimeout;
    private final Duration testTimeout;
    private final Duration operationTimeout;
    private final MemorySize replyLimit;
    private final Path logDir;
    private final KeepLogs keepLogs;
    private final Path cacheDir;
    private final MemorySize fixtureCacheSize;
    private final boolean clearFixtureCache;
    private final List<String> include;
    private final List<String> exclude;
    private final OptionalInt parallelism;
    private final boolean classSource;
    private final boolean consoleProgress;
    private final Map<String, Profile> profiles;
    /** Profiles whose table is wrong (say, a kernel file that does not exist): using one fails, the rest run. */
    private final Map<String, ProviumConfigException> brokenProfiles = new LinkedHashMap<>();

    private ProviumConfig(Optional<ConfigFile> configFile, Path projectDir, Function<String, Optional<String>> parameters) {
        this.file = configFile.map(ConfigFile::path);
        this.projectDir = projectDir;
        Settings settings = new Settings(configFile, projectDir, parameters);
        this.roots = settings.roots();
        this.accel = settings.accel();
        this.memoryBudget = settings.memoryBudget();
        this.cpusBudget = settings.cpusBudget();
        this.bootTimeout = settings.bootTimeout();
        this.testTimeout = settings.testTimeout();
        this.keepLogs = settings.keepLogs();
        this.operationTimeout = settings.operationTimeout();
        this.replyLimit = settings.replyLimit();
        this.cacheDir = settings.cacheDir();
        this.logDir = settings.logDir(cacheDir);
        this.fixtureCacheSize = settings.fixtureCacheSize();
        this.clearFixtureCache = settings.clearFixtureCache();
        this.include = settings.patterns(Constants.INCLUDE, ProviumTable::include);
        this.exclude = settings.patterns(Constants.EXCLUDE, ProviumTable::exclude);
        this.parallelism = settings.positive(Constants.PARALLELISM, ProviumTable::parallelism);
        this.classSource = settings.flag(Constants.CLASS_SOURCE, ProviumTable::classSource, true);
        this.consoleProgress = settings.flag(Constants.CONSOLE_PROGRESS, ProviumTable::consoleProgress, true);
        this.profiles = configFile.map(f -> profilesOf(f, brokenProfiles)).orElseGet(ProviumConfig::builtInProfiles);
    }

    /** Loads the first provium.toml in startDir or above; without one, the defaults with startDir as project directory. */
    public static ProviumConfig load(Path startDir) {
        return load(startDir, key -> Optional.empty());
    }

    /**
     * Like {@link #load(Path)}, with configuration parameters that win over the file. {@code parameters}
     * is asked for full keys such as "provium.cpus" (JUnit's {@code ConfigurationParameters::get} fits).
     */
    public static ProviumConfig load(Path startDir, Function<String, Optional<String>> parameters) {
        Path start = startDir.toAbsolutePath().normalize();
        Optional<ConfigFile> configFile = ConfigFile.find(start).map(ConfigFile::read);
        Path projectDir = configFile.map(found -> found.path().getParent()).orElse(start);
        return new ProviumConfig(configFile, projectDir, parameters);
    }

    /** The provium.toml that was read, if any. */
    public Optional<Path> file() {
        return file;
    }

    /** The directory of provium.toml, or the start directory when there is none. */
    public Path projectDir() {
        return projectDir;
    }

    /** Absolute test root directories. */
    public List<Path> roots() {
        return roots;
    }

    public AccelMode accel() {
        return accel;
    }

    /** Fixed memory budget for all guests together; empty means auto (MemAvailable minus a reserve). */
    public Optional<MemorySize> memoryBudget() {
        return memoryBudget;
    }

    /** Fixed vCPU budget for all guests together; empty means the host's cores. */
    public OptionalInt cpusBudget() {
        return cpusBudget;
    }

    public Duration bootTimeout() {
        return bootTimeout;
    }

    /** How long one Lua test may run, unless the file or the test sets its own limit. */
    public Duration testTimeout() {
        return testTimeout;
    }

    public KeepLogs keepLogs() {
        return keepLogs;
    }

    /** How long a guest operation may take unless it names its own timeout (default 300 s). */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** The most one guest reply may hold in memory (default: 1/8 of the JVM's maximum heap). */
    public MemorySize replyLimit() {
        return replyLimit;
    }

    /** Absolute directory where kept console logs go, as {@code <log_dir>/<test file>/<vm>/} (may not exist yet). */
    public Path logDir() {
        return logDir;
    }

    /** Absolute cache directory (may not exist yet). */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Size cap of the fixture snapshots in the cache; the least recently used go beyond it. */
    public MemorySize fixtureCacheSize() {
        return fixtureCacheSize;
    }

    /** Whether a run starts by deleting the fixture snapshots built before it. */
    public boolean clearFixtureCache() {
        return clearFixtureCache;
    }

    /** Patterns a test file's path under its root must match (none: every file). */
    public List<String> include() {
        return include;
    }

    /** Patterns that exclude test files. */
    public List<String> exclude() {
        return exclude;
    }

    /** Files run at the same time, when set. */
    public OptionalInt parallelism() {
        return parallelism;
    }

    /** Whether a file's container carries a ClassSource named after the file (for Surefire's classname). */
    public boolean classSource() {
        return classSource;
    }

    /** Whether progress lines, summaries and notices are printed. */
    public boolean consoleProgress() {
        return consoleProgress;
    }

    /** All profile names, sorted; always contains "default". */
    public Set<String> profileNames() {
        return Collections.unmodifiableSet(new TreeSet<>(profiles.keySet()));
    }

    /**
     * The named profile; an unknown name is an error that lists the known ones, and a profile whose table is wrong
     * (e.g. its kernel file does not exist) throws that problem, naming file, line and key.
     */
    public Profile profile(String name) {
        ProviumConfigException broken = brokenProfiles.get(name);
        if (broken != null) {
            throw new ProviumConfigException(broken.getMessage(), null, broken.file().orElse(null), broken.line());
        }
        Profile profile = profiles.get(name);
        if (profile == null) {
            String source = file.map(path -> " in " + path).orElse(" (no " + Constants.CONFIG_FILE_NAME + " found, only the built-in profile)");
            throw new ProviumConfigException("unknown profile '" + name + "'" + source + "; known profiles: " + String.join(", ", profileNames()));
        }
        return profile;
    }

    private static Map<String, Profile> builtInProfiles() {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        profiles.put(Constants.DEFAULT_PROFILE, Profile.builtInDefault());
        return profiles;
    }

    private static Map<String, Profile> profilesOf(ConfigFile configFile, Map<String, ProviumConfigException> broken) {
        Map<String, Profile> profiles = builtInProfiles();
        Map<String, ProfileTable> tables = configFile.document().profile();
        if (tables != null) {
            tables.forEach((name, table) -> {
                try {
                    profiles.put(name, profileOf(configFile, name, table));
                } catch (ProviumConfigException e) {
                    profiles.remove(name);
                    broken.put(name, e);
                }
            });
        }
        return Collections.unmodifiableMap(profiles);
    }

    private static Profile profileOf(ConfigFile configFile, String name, ProfileTable table) {
        if (table.rootfs() != null) {
            throw configFile.error(List.of("profile", name, "rootfs"),
                    "rootfs is not supported yet; boot from the initramfs (initrd) and attach images with vm:boot{disks=...}");
        }
        Optional<String> init = Optional.ofNullable(table.init());
        if (init.isPresent() && !init.get().startsWith("/")) {
            throw configFile.error(List.of("profile", name, "init"), "must be an absolute path in the guest, like \"/sbin/init\", got \"" + init.get() + "\"");
        }
        return new Profile(name,
                existingFile(configFile, name, "kernel", table.kernel()),
                existingFile(configFile, name, "initrd", table.initrd()),
                init,
                table.append() == null ? "" : table.append().strip(),
                table.bootCache() == null || table.bootCache());
    }

    private static Optional<Path> existingFile(ConfigFile configFile, String profile, String key, String value) {
        if (value == null) {
            return Optional.empty();
        }
        List<String> keyPath = List.of("profile", profile, key);
        if (value.isBlank()) {
            throw configFile.error(keyPath, "must not be empty (leave the key out for the default)");
        }
        Path path = configFile.path().getParent().resolve(value).normalize();
        if (!Files.exists(path)) {
            throw configFile.error(keyPath, "file not found: " + path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw configFile.error(keyPath, "not a readable regular file: " + path);
        }
        return Optional.of(path);
    }

    /** Resolves each [provium] setting: parameter, else file, else default. */
    private static final class Settings {
        private static final long MIN_REPLY_LIMIT = 1L << 20;
        private static final long MAX_REPLY_LIMIT = 2047L << 20;
        private final Optional<ConfigFile> configFile;
        private final ProviumTable table;
        private final Path projectDir;
        private final Function<String, Optional<String>> parameters;

        Settings(Optional<ConfigFile> configFile, Path projectDir, Function<String, Optional<String>> parameters) {
            this.configFile = configFile;
            this.table = configFile.map(ConfigFile::document).map(ConfigDocument::provium)
                    .orElse(new ProviumTable(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
            this.projectDir = projectDir;
            this.parameters = parameters;
        }

        List<Path> roots() {
            List<String> configured = pick(Constants.ROOTS, table.roots(), Settings::commaList, Function.identity());
            if (configured == null) {
                return Constants.DEFAULT_ROOTS.stream().map(projectDir::resolve).map(Path::normalize).collect(Collectors.toUnmodifiableList());
            }
            if (configured.isEmpty()) {
                throw problem(Constants.ROOTS, table.roots() != null && parameter(Constants.ROOTS).isEmpty(), "needs at least one directory");
            }
            List<Path> resolved = configured.stream().map(projectDir::resolve).map(Path::normalize).collect(Collectors.toUnmodifiableList());
            for (Path root : resolved) {
                if (!Files.isDirectory(root)) {
                    throw problem(Constants.ROOTS, parameter(Constants.ROOTS).isEmpty(), "not a directory: " + root);
                }
            }
            return resolved;
        }

        AccelMode accel() {
            AccelMode mode = pick(Constants.ACCEL, table.accel(), Settings::accelMode, Settings::accelMode);
            return mode == null ? AccelMode.AUTO : mode;
        }

        Optional<MemorySize> memoryBudget() {
            return Optional.ofNullable(pick(Constants.MEMORY, table.memory(), MemorySize::parse, MemorySize::parse));
        }

        OptionalInt cpusBudget() {
            return positive(Constants.CPUS, ProviumTable::cpus);
        }

        Duration bootTimeout() {
            Integer seconds = pick(Constants.BOOT_TIMEOUT, table.bootTimeout(), Settings::positiveInt, Settings::positive);
            return Duration.ofSeconds(seconds == null ? Constants.DEFAULT_BOOT_TIMEOUT_SECONDS : seconds);
        }

        Duration testTimeout() {
            Integer seconds = pick(Constants.TEST_TIMEOUT, table.testTimeout(), Settings::positiveInt, Settings::positive);
            return Duration.ofSeconds(seconds == null ? Constants.DEFAULT_TEST_TIMEOUT_SECONDS : seconds);
        }

        Duration operationTimeout() {
            Integer seconds = pick(Constants.OPERATION_TIMEOUT, table.operationTimeout(), Settings::positiveInt, Settings::positive);
            return Duration.ofSeconds(seconds == null ? Constants.DEFAULT_OPERATION_TIMEOUT_SECONDS : seconds);
        }

        MemorySize replyLimit() {
            Function<String, MemorySize> parse = text -> {
                MemorySize size = MemorySize.parse(text);
                if (size.bytes() < MIN_REPLY_LIMIT) {
                    throw new IllegalArgumentException("must be at least 1M, got \"" + text + "\"");
                }
                if (size.bytes() > MAX_REPLY_LIMIT) {
                    throw new IllegalArgumentException("must be below 2G (one reply is one Java array), got \"" + text + "\"");
                }
                return size;
            };
            MemorySize size = pick(Constants.REPLY_LIMIT, table.replyLimit(), parse, parse);
            return size != null ? size : defaultReplyLimit();
        }

        /** An eighth of the heap: a reply is copied once or twice on its way out, and other work needs room too. */
        private static MemorySize defaultReplyLimit() {
            long share = Runtime.getRuntime().maxMemory() / 8;
            long bytes = Math.max(MIN_REPLY_LIMIT, Math.min(MAX_REPLY_LIMIT, share));
            return new MemorySize(bytes >> 20 << 20);
        }

        Path logDir(Path cacheDir) {
            Function<String, Path> resolve = text -> {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("must not be empty (leave it out for the default)");
                }
                return projectDir.resolve(text).normalize();
            };
            Path configured = pick(Constants.LOG_DIR, table.logDir(), resolve, resolve);
            if (configured != null) {
                return configured;
            }
            Path target = projectDir.resolve("target");
            return Files.isDirectory(target) ? target.resolve("provium-logs") : cacheDir.resolve("logs");
        }

        KeepLogs keepLogs() {
            KeepLogs keep = pick(Constants.KEEP_LOGS, table.keepLogs(), Settings::keepLogsMode, Settings::keepLogsMode);
            return keep == null ? KeepLogs.FAILED : keep;
        }

        Path cacheDir() {
            Function<String, Path> resolve = text -> {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("must not be empty (leave it out for the default)");
                }
                return projectDir.resolve(text).normalize();
            };
            Path configured = pick(Constants.CACHE_DIR, table.cacheDir(), resolve, resolve);
            return configured != null ? configured : defaultCacheDir();
        }

        MemorySize fixtureCacheSize() {
            MemorySize size = pick(Constants.FIXTURE_CACHE_SIZE, table.fixtureCacheSize(), MemorySize::parse, MemorySize::parse);
            return size != null ? size : MemorySize.parse(Constants.DEFAULT_FIXTURE_CACHE_SIZE);
        }

        boolean clearFixtureCache() {
            return flag(Constants.CLEAR_FIXTURE_CACHE, ProviumTable::clearFixtureCache, false);
        }

        List<String> patterns(String key, Function<ProviumTable, List<String>> inFile) {
            List<String> patterns = pick(key, inFile.apply(table), Settings::commaList, Function.identity());
            return patterns == null ? List.of() : List.copyOf(patterns);
        }

        OptionalInt positive(String key, Function<ProviumTable, Integer> inFile) {
            Integer value = pick(key, inFile.apply(table), Settings::positiveInt, Settings::positive);
            return value == null ? OptionalInt.empty() : OptionalInt.of(value);
        }

        boolean flag(String key, Function<ProviumTable, Boolean> inFile, boolean defaultValue) {
            Boolean value = pick(key, inFile.apply(table), Settings::bool, Function.identity());
            return value == null ? defaultValue : value;
        }

        private static List<String> commaList(String text) {
            return Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty()).collect(Collectors.toList());
        }

        private static Boolean bool(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
            };
        }

        private static Path defaultCacheDir() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("provium").toAbsolutePath().normalize();
        }

        /**
         * The parameter's value if given, else the file's, else null; a value that its parser rejects
         * (IllegalArgumentException) becomes an error naming where the value came from.
         */
        private <F, T> T pick(String key, F fileValue, Function<String, T> fromParameter, Function<F, T> fromFile) {
            Optional<String> parameter = parameter(key);
            try {
                if (parameter.isPresent()) {
                    return fromParameter.apply(parameter.get());
                }
                return fileValue == null ? null : fromFile.apply(fileValue);
            } catch (IllegalArgumentException e) {
                throw problem(key, parameter.isEmpty(), e.getMessage());
            }
        }

        private Optional<String> parameter(String key) {
            return parameters.apply(Constants.PARAMETER_PREFIX + key);
        }

        private ProviumConfigException problem(String key, boolean fromFile, String message) {
            if (fromFile && configFile.isPresent()) {
                return configFile.get().error(List.of("provium", key), message);
            }
            return new ProviumConfigException("configuration parameter " + Constants.PARAMETER_PREFIX + key + ": " + message);
        }

        private static AccelMode accelMode(String text) {
            return AccelMode.parse(text).orElseThrow(() -> new IllegalArgumentException("expected auto, kvm or tcg, got \"" + text + "\""));
        }

        private static KeepLogs keepLogsMode(String text) {
            return KeepLogs.parse(text).orElseThrow(() -> new IllegalArgumentException("expected failed, always or never, got \"" + text + "\""));
        }

        private static Integer positiveInt(String text) {
            try {
                return positive(Integer.parseInt(text.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a positive integer, got \"" + text + "\"", e);
            }
        }

        private static Integer positive(Integer value) {
            if (value <= 0) {
                throw new IllegalArgumentException("expected a positive integer, got " + value);
            }
            return value;
        }
    }
}
