package dev.provium.vm;

import dev.provium.internal.DirectoryTrees;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one guest's logs go when they are kept: {@code <log_dir>/<group>/<vm>/}, the group being the test
 * file that created the guest. A second guest of the same name in one group gets {@code <vm>-2}, and so on;
 * the first guest of a run to claim a directory replaces what an earlier run left there.
 */
final class LogPlace {
    /** Group of guests created through the Java API, outside any test file. */
    static final String DEFAULT_GROUP = "java";
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final String group;
    private final String vm;
    private Path claimed;

    LogPlace(Path root, String group, String vm) {
        this.root = root.toAbsolutePath().normalize();
        this.group = group;
        this.vm = vm;
    }

    String vmName() {
        return vm;
    }

    /** The directory, claimed on first use (not created). */
    synchronized Path directory() {
        if (claimed == null) {
            Path parent = within(root.resolve(segments(group)));
            String name = segments(vm).replace('/', '_');
            Path candidate = parent.resolve(name);
            for (int n = 2; !CLAIMED.add(candidate); n++) {
                candidate = parent.resolve(name + "-" + n);
            }
            if (Files.exists(candidate)) {
                try {
                    DirectoryTrees.delete(candidate, "logs kept by an earlier run");
                } catch (UncheckedIOException e) {
                    // the new logs replace the old ones file by file
                }
            }
            claimed = candidate;
        }
        return claimed;
    }

    /** A relative path of safe segments: no empty, "." or ".." parts, no odd characters. */
    private static String segments(String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.replace('\\', '/').split("/")) {
            String safe = part.replaceAll("[^A-Za-z0-9_.+@=-]", "_");
            if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "/").append(safe);
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    private Path within(Path path) {
        Path normal = path.normalize();
        return normal.startsWith(root) ? normal : root.resolve("_");
    }

    @Override
    public String toString() {
        return claimed != null ? claimed.toString() : root.resolve(group).resolve(vm).toString();
    }
}
