package dev.provium.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * The tests directly inside a file or inside a test (its sub-tests): those the static scan declared, which
 * discovery selected, and those registered while running. Shared by {@link LuaFileDescriptor} and
 * {@link LuaTestDescriptor}. The tests run inside their parent's Lua code, so the executor must not also
 * schedule them as independent children: {@link #detach} hides them while the parent runs (the executor lists a
 * node's children after {@code prepare}) and {@link #reattach} gives them back.
 */
final class ChildTests {

    private final TestDescriptor owner;
    private final Path file;
    private final List<DeclaredTest> declared;
    private final String reportingPrefix;
    /** Names of children to run though the scan does not know them, each with the paths below it to run (empty: all). */
    private final Map<String, Set<List<String>>> requested = new LinkedHashMap<>();
    private final List<TestDescriptor> detached = new ArrayList<>();
    private boolean selectedWhole;

    /**
     * @param reportingPrefix what children's legacy reporting names start with: empty for a file's tests, the
     *                        parent's reporting name and "/" for sub-tests
     */
    ChildTests(TestDescriptor owner, Path file, List<DeclaredTest> declared, String reportingPrefix) {
        this.owner = owner;
        this.file = file;
        this.declared = List.copyOf(declared);
        this.reportingPrefix = reportingPrefix;
    }

    List<DeclaredTest> declared() {
        return declared;
    }

    /** Selects every child, including those registered while running; returns the declared ones' selectors. */
    Set<DiscoverySelector> selectWhole() {
        selectedWhole = true;
        return declared.stream().map(test -> DiscoverySelectors.selectUniqueId(childId(test.name())))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Asks to run a child the scan does not know, should it be registered, and {@code below} inside it (empty: all). */
    void request(String name, List<String> below) {
        requested.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(List.copyOf(below));
    }

    UniqueId childId(String name) {
        return owner.getUniqueId().append(LuaTestDescriptor.SEGMENT_TYPE, name);
    }

    /** The descriptor of a declared child, existing or new; empty for names the scan did not find. */
    Optional<LuaTestDescriptor> declaredChild(String name) {
        Optional<LuaTestDescriptor> existing = selected(name);
        if (existing.isPresent()) {
            return existing;
        }
        return declared.stream().filter(t -> t.name().equals(name)).findFirst()
                .map(t -> new LuaTestDescriptor(owner.getUniqueId(), t.name(), file, t.line(), t, reportingPrefix));
    }

    /** The child of that name that is selected in this run (declared or registered), if any. */
    Optional<LuaTestDescriptor> selected(String name) {
        UniqueId id = childId(name);
        return Stream.concat(owner.getChildren().stream(), detached.stream())
                .filter(child -> child.getUniqueId().equals(id))
                .map(LuaTestDescriptor.class::cast)
                .findFirst();
    }

    /** Whether a child unknown to the scan should run when it is registered. */
    boolean runsUnknown(String name) {
        return selectedWhole || requested.containsKey(name);
    }

    /** Registers a child made at run time and passes on what was selected inside it. */
    LuaTestDescriptor addDynamic(String name, int line) {
        LuaTestDescriptor test = new LuaTestDescriptor(owner.getUniqueId(), name, file, line, null, reportingPrefix);
        Set<List<String>> below = requested.getOrDefault(name, Set.of());
        if (selectedWhole || below.contains(List.of())) {
            test.children().selectWhole();
        } else {
            below.forEach(path -> test.children().request(path.get(0), path.subList(1, path.size())));
        }
        owner.addChild(test);
        return test;
    }

    void detach() {
        detached.addAll(owner.getChildren());
        detached.forEach(owner::removeChild);
    }

    void reattach() {
        detached.forEach(owner::addChild);
        detached.clear();
    }
}
