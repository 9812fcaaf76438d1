package dev.provium.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Matches the {@code test()} calls made directly inside a file (or inside one run of a test) to descriptors. A
 * call takes the first statically declared test with its name that is still unclaimed, preferring the one
 * declared on the call's line; calls beyond the declared ones (loops, computed names) become dynamic tests named
 * uniquely among their siblings.
 */
final class TestClaims {

    private final ChildTests children;
    private final List<DeclaredTest> unclaimed;
    private final Set<String> claimedNames = new HashSet<>();
    private final TestNames names = new TestNames();

    TestClaims(ChildTests children) {
        this.children = children;
        this.unclaimed = new ArrayList<>(children.declared());
        unclaimed.forEach(test -> names.reserve(test.name()));
    }

    /** The descriptor to run for a call, or empty when that test is not selected in this run. */
    Optional<LuaTestDescriptor> claim(String name, int line) {
        Optional<DeclaredTest> declared = unclaimed.stream()
                .filter(t -> t.baseName().equals(name) && t.line() == line).findFirst()
                .or(() -> unclaimed.stream().filter(t -> t.baseName().equals(name)).findFirst());
        if (declared.isPresent()) {
            unclaimed.remove(declared.get());
            claimedNames.add(declared.get().name());
            return children.selected(declared.get().name());
        }
        String unique = names.claim(name);
        claimedNames.add(unique);
        return children.runsUnknown(unique) ? Optional.of(children.addDynamic(unique, line)) : Optional.empty();
    }

    /** Selected declared tests whose call was never reached. */
    List<LuaTestDescriptor> unreached() {
        return children.declared().stream()
                .filter(test -> !claimedNames.contains(test.name()))
                .map(test -> children.selected(test.name()))
                .flatMap(Optional::stream)
                .toList();
    }
}
