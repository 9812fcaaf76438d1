package dev.provium.engine;

import java.util.List;
import java.util.Set;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A Lua file: a container of its {@code test()} calls, or a test itself when it has none. Its whole program runs
 * in {@link #execute}, and the tests run inside it as the program reaches them (see {@link ChildTests}).
 */
final class LuaFileDescriptor extends AbstractTestDescriptor implements Node<ProviumExecutionContext> {

    static final String SEGMENT_TYPE = "file";

    private final LuaFile file;
    private final ScanResult scan;
    private final ChildTests children;

    LuaFileDescriptor(UniqueId engineId, LuaFile file, ScanResult scan, boolean classSource) {
        super(engineId.append(SEGMENT_TYPE, file.id()), file.id(), source(file, scan, classSource));
        this.file = file;
        this.scan = scan;
        this.children = new ChildTests(this, file.path(), scan.tests(), "");
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

    /** The file's top-level tests. */
    ChildTests children() {
        return children;
    }

    /** Selects every test of the file, including tests registered while it runs; returns their selectors. */
    Set<DiscoverySelector> selectWhole() {
        return children.selectWhole();
    }

    /** The unique id of the declared test with that path of names, from the top-level test down. */
    UniqueId testId(List<String> path) {
        UniqueId id = getUniqueId();
        for (String name : path) {
            id = id.append(LuaTestDescriptor.SEGMENT_TYPE, name);
        }
        return id;
    }

    // ---- execution

    @Override
    public ProviumExecutionContext prepare(ProviumExecutionContext context) {
        children.detach();
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
        children.reattach();
    }

    @Override
    public void nodeFinished(ProviumExecutionContext context, TestDescriptor descriptor, TestExecutionResult result) {
        if (context != null && context.inFile()) {
            context.file().finished(result);
        }
    }
}
