package dev.provium.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.UniqueId.Segment;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves {@code [engine:provium]/[file:<path under root>]} (the whole file) and
 * {@code …/[test:<name>]} (one test, e.g. an IDE re-run). A name the static scan does not know is remembered, and
 * runs if the file registers a test of that name while it runs.
 */
final class UniqueIdResolver implements SelectorResolver {

    private final UniqueId engineId;
    private final TestFiles files;
    private final FileDescriptors descriptors;

    /** @param engineId the engine's own id: {@code [engine:provium]}, or longer when run inside a suite */
    UniqueIdResolver(UniqueId engineId, TestFiles files, FileDescriptors descriptors) {
        this.engineId = engineId;
        this.files = files;
        this.descriptors = descriptors;
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
        UniqueId id = selector.getUniqueId();
        if (!id.hasPrefix(engineId)) {
            return unresolved();
        }
        List<Segment> all = id.getSegments();
        List<Segment> segments = all.subList(engineId.getSegments().size() - 1, all.size());
        if (segments.size() < 2 || !segments.get(1).getType().equals(LuaFileDescriptor.SEGMENT_TYPE)) {
            return unresolved();
        }
        if (segments.size() == 2) {
            return files.byId(segments.get(1).getValue())
                    .filter(file -> files.exclusionReason(file).isEmpty())
                    .flatMap(file -> descriptors.add(context, file))
                    .map(file -> Resolution.match(Match.exact(file, file::selectWhole)))
                    .orElse(unresolved());
        }
        List<String> path = new ArrayList<>();
        for (Segment segment : segments.subList(2, segments.size())) {
            if (!segment.getType().equals(LuaTestDescriptor.SEGMENT_TYPE)) {
                return unresolved();
            }
            path.add(segment.getValue());
        }
        UniqueId fileId = id;
        for (int i = 0; i < path.size(); i++) {
            fileId = fileId.removeLastSegment();
        }
        return resolveTest(fileId, path, context);
    }

    /**
     * A test (or sub-test) by its path of names. The part of the path the static scan declares is resolved
     * descriptor by descriptor; the first name it does not know is requested from the deepest declared test (it
     * runs if that test registers a sub-test of that name while running, and so on down the path).
     */
    private Resolution resolveTest(UniqueId fileId, List<String> path, Context context) {
        Optional<TestDescriptor> file = context.resolve(selectUniqueId(fileId));
        if (file.isEmpty() || !(file.get() instanceof LuaFileDescriptor luaFile) || !luaFile.isContainer()) {
            return unresolved();
        }
        int declaredDepth = 0;
        List<DeclaredTest> level = luaFile.scan().tests();
        for (String name : path) {
            Optional<DeclaredTest> declared = level.stream().filter(t -> t.name().equals(name)).findFirst();
            if (declared.isEmpty()) {
                break;
            }
            declaredDepth++;
            level = declared.get().children();
        }
        if (declaredDepth < path.size()) {
            Optional<TestDescriptor> deepest = declaredDepth == 0 ? file
                    : context.resolve(selectUniqueId(luaFile.testId(path.subList(0, declaredDepth))));
            Optional<ChildTests> children = deepest.flatMap(UniqueIdResolver::childrenOf);
            if (children.isEmpty()) {
                return unresolved();
            }
            children.get().request(path.get(declaredDepth), path.subList(declaredDepth + 1, path.size()));
            return Resolution.match(Match.partial(deepest.get()));
        }
        // when this selector comes from expanding the parent, the context adds to that parent whatever the supplier says
        UniqueId parentId = luaFile.testId(path.subList(0, path.size() - 1));
        String name = path.get(path.size() - 1);
        Optional<LuaTestDescriptor> test = context.addToParent(() -> selectUniqueId(parentId),
                parent -> childrenOf(parent).flatMap(children -> children.declaredChild(name)));
        return test.map(t -> Resolution.match(Match.exact(t, t::selectWhole))).orElse(unresolved());
    }

    private static Optional<ChildTests> childrenOf(TestDescriptor descriptor) {
        if (descriptor instanceof LuaFileDescriptor file) {
            return Optional.of(file.children());
        }
        if (descriptor instanceof LuaTestDescriptor test) {
            return Optional.of(test.children());
        }
        return Optional.empty();
    }
}
