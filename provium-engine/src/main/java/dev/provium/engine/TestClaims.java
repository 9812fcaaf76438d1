package dev.provium.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Matches the {@code test()} calls a running file makes to descriptors. A call takes the first statically
 * declared test with its name that is still unclaimed, preferring the one declared on the call's line; calls
 * beyond the declared ones (loops, computed names) become dynamic tests named uniquely within the file.
 */
final class TestClaims {

    private final LuaFileDescriptor file;
    private final List<DeclaredTest> unclaimed;
    private final Set<String> claimedNames = new HashSet<>();
    private final TestNames names = new TestNames();

    TestClaims(LuaFileDescriptor file) {
        this.file = file;
        this.unclaimed = new ArrayList<>(file.scan().tests());
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
            return file.selectedTest(declared.get().name());
        }
        String unique = names.claim(name);
        claimedNames.add(unique);
        return file.runsUnknownTest(unique) ? Optional.of(file.addDynamicTest(unique, line)) : Optional.empty();
    }

    /** Selected static tests whose call was never reached. */
    List<LuaTestDescriptor> unreached() {
        return file.scan().tests().stream()
                .filter(test -> !claimedNames.contains(test.name()))
                .map(test -> file.selectedTest(test.name()))
                .flatMap(Optional::stream)
                .toList();
    }
}
