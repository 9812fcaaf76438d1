package dev.provium.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

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
        if (segments.size() == 3 && segments.get(2).getType().equals(LuaTestDescriptor.SEGMENT_TYPE)) {
            return resolveTest(selector.getUniqueId().removeLastSegment(), segments.get(2).getValue(), context);
        }
        return unresolved();
    }

    private Resolution resolveTest(UniqueId fileId, String name, Context context) {
        Optional<LuaTestDescriptor> declared = context.addToParent(() -> selectUniqueId(fileId),
                parent -> parent instanceof LuaFileDescriptor file ? file.declaredTest(name) : Optional.empty());
        if (declared.isPresent()) {
            return Resolution.match(Match.exact(declared.get()));
        }
        Optional<TestDescriptor> file = context.resolve(selectUniqueId(fileId));
        if (file.isPresent() && file.get() instanceof LuaFileDescriptor luaFile && luaFile.isContainer()) {
            luaFile.requestTest(name);
            return Resolution.match(Match.partial(luaFile));
        }
        return unresolved();
    }
}
