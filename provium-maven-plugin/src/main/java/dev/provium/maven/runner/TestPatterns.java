package dev.provium.maven.runner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Surefire's {@code -Dtest} for Lua files: comma-separated {@code file[#test]} patterns. The file part is a glob over
 * the file's path under its test root ({@code net/routes.lua}, {@code net/*.lua}, {@code **}{@code /routes.lua}); without
 * a {@code /} it matches the file name in any directory ({@code routes.lua}). The test part is a test's name, with
 * {@code *} as a wildcard. Patterns whose file part names no Lua file ({@code FooTest}, {@code FooTest#bar}) are
 * Surefire's business and are ignored here.
 */
public final class TestPatterns {

    private record Entry(String text, Pattern file, boolean byName, Pattern test, String exactTest) {
    }

    private final List<Entry> entries;
    private final boolean given;

    private TestPatterns(List<Entry> entries, boolean given) {
        this.entries = entries;
        this.given = given;
    }

    static TestPatterns parse(String value) {
        List<Entry> entries = new ArrayList<>();
        boolean given = value != null && !value.isBlank();
        if (given) {
            for (String part : value.split(",")) {
                String text = part.strip();
                if (text.isEmpty()) {
                    continue;
                }
                int hash = text.indexOf('#');
                String file = hash < 0 ? text : text.substring(0, hash);
                String test = hash < 0 ? null : text.substring(hash + 1);
                if (!isLuaFilePattern(file)) {
                    continue;
                }
                boolean byName = !file.contains("/");
                Pattern testPattern = test == null || test.isEmpty() ? null : Pattern.compile(nameGlob(test));
                String exact = test != null && !test.isEmpty() && !test.contains("*") && !test.contains("?") ? test : null;
                entries.add(new Entry(text, Pattern.compile(pathGlob(file)), byName, testPattern, exact));
            }
        }
        return new TestPatterns(entries, given);
    }

    static boolean isLuaFilePattern(String file) {
        return file.endsWith(".lua") || file.contains("/");
    }

    /** Whether a {@code -Dtest} value names Lua tests (and so must match some: failIfNoSpecifiedTests). */
    public static boolean namesLuaTests(String value) {
        return parse(value).hasLuaPatterns();
    }

    /** Whether a {@code -Dtest} value was given but names only Java tests: then no Lua test runs. */
    public static boolean namesOnlyJavaTests(String value) {
        TestPatterns patterns = parse(value);
        return patterns.given() && !patterns.hasLuaPatterns();
    }

    /** Whether {@code -Dtest} was given at all. */
    boolean given() {
        return given;
    }

    /** Whether {@code -Dtest} named Lua files; when given but not, it only selects Java tests: run no Lua test. */
    boolean hasLuaPatterns() {
        return !entries.isEmpty();
    }

    /** The selectors for what the patterns choose among the tests of {@code plan}, discovered from the roots. */
    Set<DiscoverySelector> select(TestPlan plan) {
        Set<DiscoverySelector> selectors = new LinkedHashSet<>();
        for (TestIdentifier engine : plan.getRoots()) {
            for (TestIdentifier file : plan.getChildren(engine)) {
                Optional<String> path = fileId(file);
                if (path.isEmpty()) {
                    continue;
                }
                for (Entry entry : entries) {
                    if (!matchesFile(entry, path.get())) {
                        continue;
                    }
                    UniqueId fileId = file.getUniqueIdObject();
                    if (entry.test() == null) {
                        selectors.add(DiscoverySelectors.selectUniqueId(fileId));
                        continue;
                    }
                    boolean found = false;
                    for (TestIdentifier test : plan.getChildren(file)) {
                        if (entry.test().matcher(test.getDisplayName()).matches()) {
                            selectors.add(DiscoverySelectors.selectUniqueId(test.getUniqueIdObject()));
                            found = true;
                        }
                    }
                    if (!found && entry.exactTest() != null && file.isContainer()) {
                        // a test the static scan cannot see (its name computed at run time): the engine runs it if
                        // the file registers it
                        selectors.add(DiscoverySelectors.selectUniqueId(fileId.append("test", entry.exactTest())));
                    }
                }
            }
        }
        return selectors;
    }

    @Override
    public String toString() {
        return String.join(",", entries.stream().map(Entry::text).toList());
    }

    static Optional<String> fileId(TestIdentifier file) {
        List<UniqueId.Segment> segments = file.getUniqueIdObject().getSegments();
        UniqueId.Segment last = segments.get(segments.size() - 1);
        return last.getType().equals("file") ? Optional.of(last.getValue()) : Optional.empty();
    }

    private static boolean matchesFile(Entry entry, String path) {
        String subject = entry.byName() ? path.substring(path.lastIndexOf('/') + 1) : path;
        return entry.file().matcher(subject).matches();
    }

    /** {@code **} crosses directories, {@code *} and {@code ?} do not. */
    static String pathGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                regex.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    static String nameGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
