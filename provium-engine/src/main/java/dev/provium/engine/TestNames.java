package dev.provium.engine;

import java.util.HashSet;
import java.util.Set;

/** Makes test names unique within a file: the second {@code "boots"} becomes {@code "boots [2]"}, and so on. */
final class TestNames {

    private final Set<String> taken = new HashSet<>();

    /** Reserves {@code name} as it is, e.g. the names found by the static scan. */
    void reserve(String name) {
        taken.add(name);
    }

    /** {@code name} itself if still free, else {@code name [k]} with the smallest free k ≥ 2. */
    String claim(String name) {
        if (taken.add(name)) {
            return name;
        }
        for (int k = 2; ; k++) {
            String candidate = name + " [" + k + "]";
            if (taken.add(candidate)) {
                return candidate;
            }
        }
    }
}
