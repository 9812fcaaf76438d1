package dev.provium.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.config.Constants;
import dev.provium.config.ProviumConfig;
import dev.provium.config.ProviumConfigException;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which {@code .lua} files are tests: not fixtures or helper libraries, and matching the configured
 * include/exclude globs. Paths are the file's path under its root.
 */
@API(status = INTERNAL)
public final class TestFileFilter {

    private static final Set<String> HELPER_DIRECTORIES = Set.of("fixtures", "helpers", "lib");
    private static final String HELPER_FILE = "helpers.lua";

    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    private final List<String> includePatterns;
    private final List<String> excludePatterns;
    private final String includeKey;
    private final String excludeKey;

    TestFileFilter(List<String> include, String includeKey, List<String> exclude, String excludeKey) {
        this.include = matchers(include, includeKey);
        this.exclude = matchers(exclude, excludeKey);
        this.includePatterns = include;
        this.excludePatterns = exclude;
        this.includeKey = includeKey;
        this.excludeKey = excludeKey;
    }

    /** The filter of a project: its include and exclude patterns (provium.toml or configuration parameters). */
    public static TestFileFilter of(ProviumConfig project) {
        return new TestFileFilter(project.include(), Constants.parameter(Constants.INCLUDE),
                project.exclude(), Constants.parameter(Constants.EXCLUDE));
    }

    /** Why the file at {@code relative} (under its root) is not a test, or empty when it is one. */
    public Optional<String> exclusionReason(Path relative) {
        if (!relative.getFileName().toString().endsWith(".lua")) {
            return Optional.of("not a .lua file");
        }
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String directory = relative.getName(i).toString();
            if (HELPER_DIRECTORIES.contains(directory)) {
                return Optional.of("files under " + directory + "/ are " + (directory.equals("fixtures")
                        ? "fixtures, run by provium.fixture()" : "helper libraries") + ", not tests");
            }
        }
        if (relative.getFileName().toString().equals(HELPER_FILE)) {
            return Optional.of(HELPER_FILE + " is a helper library, not a test");
        }
        if (!include.isEmpty() && include.stream().noneMatch(m -> m.matches(relative))) {
            return Optional.of("it matches none of " + includeKey + "=" + includePatterns);
        }
        for (int i = 0; i < exclude.size(); i++) {
            if (exclude.get(i).matches(relative)) {
                return Optional.of("it matches " + excludeKey + " pattern '"
                        + excludePatterns.get(i) + "'");
            }
        }
        return Optional.empty();
    }

    private static List<PathMatcher> matchers(List<String> patterns, String key) {
        return patterns.stream().map(pattern -> {
            try {
                return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            } catch (IllegalArgumentException e) {
                throw new ProviumConfigException(key + ": invalid glob pattern '" + pattern + "': " + e.getMessage(), e);
            }
        }).toList();
    }
}
