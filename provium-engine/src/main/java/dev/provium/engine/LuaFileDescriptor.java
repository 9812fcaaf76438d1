package dev.provium.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A Lua file: a container of its {@code test()} calls, or a test itself when it has none. Its whole program runs
 * in {@link #execute}, and the tests run inside it as the program reaches them. So the executor must not also
 * schedule them as independent children: {@link #prepare} detaches the discovered tests (the executor lists a
 * node's children after {@code prepare}) and {@link #cleanUp} attaches them again.
 */
final class LuaFileDescriptor extends AbstractTestDescriptor implements Node<ProviumExecutionContext> {

    static final String SEGMENT_TYPE = "file";

    private final LuaFile file;
    private final ScanResult scan;
    private final Set<String> requestedTests = new LinkedHashSet<>();
    private final List<TestDescriptor> detached = new ArrayList<>();
    private boolean selectedWhole;

    LuaFileDescriptor(UniqueId engineId, LuaFile file, ScanResult scan, boolean classSource) {
        super(engineId.append(SEGMENT_TYPE, file.id()), file.id(), source(file, scan, classSource));
        this.file = file;
        this.scan = scan;
    }

    private static TestSource source(LuaFile file, ScanResult scan, boolean classSource) {
        if (classSource) {
            return ClassSource.from(file.id());
        }
        return scan.isBroken() && scan.problemLine() > 0
                ? FileSource.from(file.path().toFile(), FilePosition.from(scan.problemLine()))
                : FileSource.from(file.path().toFile());
    }

    LuaFile file() {
        return file;
    }

    ScanResult scan() {
        return scan;
    }

    @Override
    public Type getType() {
        return scan.callsTest() ? Type.CONTAINER : Type.TEST;
    }

    @Override
    public boolean mayRegisterTests() {
        return isContainer();
    }

    @Override
    public String getLegacyReportingName() {
        return file.id();
    }

    // ---- discovery

    /** Selects every test of the file, including tests registered while it runs; returns their selectors. */
    Set<DiscoverySelector> selectWhole() {
        selectedWhole = true;
        return scan.tests().stream()
                .map(test -> DiscoverySelectors.selectUniqueId(testId(test.name())))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Asks to run a test the static scan does not know, should the file register it when it runs. */
    void requestTest(String name) {
        requestedTests.add(name);
    }

    UniqueId testId(String name) {
        return getUniqueId().append(LuaTestDescriptor.SEGMENT_TYPE, name);
    }

    /** The descriptor of a statically declared test, existing or new; empty for names the scan did not find. */
    Optional<LuaTestDescriptor> declaredTest(String name) {
        Optional<LuaTestDescriptor> existing = selectedTest(name);
        if (existing.isPresent()) {
            return existing;
        }
        return scan.testNamed(name).map(t -> new LuaTestDescriptor(getUniqueId(), t.name(), file.path(), t.line(), false));
    }

    // ---- execution

    Optional<LuaTestDescriptor> selectedTest(String name) {
        UniqueId id = testId(name);
        return Stream.concat(getChildren().stream(), detached.stream())
                .filter(child -> child.getUniqueId().equals(id))
                .map(LuaTestDescriptor.class::cast)
                .findFirst();
    }

    /** Whether a test unknown to the static scan should run when the file registers it. */
    boolean runsUnknownTest(String name) {
        return selectedWhole || requestedTests.contains(name);
    }

    LuaTestDescriptor addDynamicTest(String name, int line) {
        LuaTestDescriptor test = new LuaTestDescriptor(getUniqueId(), name, file.path(), line, true);
        addChild(test);
        return test;
    }

    @Override
    public ProviumExecutionContext prepare(ProviumExecutionContext context) {
        detached.addAll(getChildren());
        detached.forEach(this::removeChild);
        return context;
    }

    @Override
    public ProviumExecutionContext before(ProviumExecutionContext context) {
        return context.forFile(new FileExecution(this, context));
    }

    @Override
    public ProviumExecutionContext execute(ProviumExecutionContext context, DynamicTestExecutor dynamicTests) {
        context.file().run(dynamicTests);
        return context;
    }

    @Override
    public void cleanUp(ProviumExecutionContext context) {
        detached.forEach(this::addChild);
        detached.clear();
    }

    @Override
    public void nodeFinished(ProviumExecutionContext context, TestDescriptor descriptor, TestExecutionResult result) {
        if (context != null && context.inFile()) {
            context.file().finished(result);
        }
    }
}
