package dev.provium.engine;

import java.util.List;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One {@code test(name, fn)} of a Lua file, or a sub-test: a {@code test()} called inside a running test. It runs
 * when the Lua code reaches the call, on the file's thread ({@link ExecutionMode#SAME_THREAD}), through
 * {@link FileExecution}; its body runs in {@link #execute}, between "started" and "finished", so reports time it.
 * A test with sub-tests is a container that is also a test.
 */
final class LuaTestDescriptor extends AbstractTestDescriptor implements Node<ProviumExecutionContext> {

    static final String SEGMENT_TYPE = "test";

    private final String name;
    private final int line;
    private final DeclaredTest declared;
    private final String reportingName;
    private final ChildTests children;
    private volatile boolean hasRegisteredChildren;
    private volatile TestExecutionResult result;

    /**
     * @param declared        what the static scan found for this call, or null for a test registered at run time
     * @param reportingPrefix empty for a file's test, else the parent's reporting name and "/"
     */
    LuaTestDescriptor(UniqueId parentId, String name, Path file, int line, DeclaredTest declared, String reportingPrefix) {
        super(parentId.append(SEGMENT_TYPE, name), name,
                line > 0 ? FileSource.from(file.toFile(), FilePosition.from(line)) : FileSource.from(file.toFile()));
        this.name = name;
        this.line = line;
        this.declared = declared;
        this.reportingName = reportingPrefix + name;
        this.children = new ChildTests(this, file, declared == null ? List.of() : declared.children(),
                reportingName + "/");
    }

    String name() {
        return name;
    }

    /** Line of the {@code test(} call, or 0 when unknown. */
    int line() {
        return line;
    }

    /** Registered while the file ran (its name was computed, or it was not found by the static scan). */
    boolean isDynamic() {
        return declared == null;
    }

    /** Why the scan says the test is skipped before it starts (its body begins with {@code todo(…)}). */
    Optional<String> staticTodo() {
        return declared == null ? Optional.empty() : declared.todo();
    }

    ChildTests children() {
        return children;
    }

    /** Selects the test with all its sub-tests. */
    Set<DiscoverySelector> selectWhole() {
        return children.selectWhole();
    }

    /** Called when a sub-test is registered or run: from then on the test is also a container. */
    void hasSubTests() {
        hasRegisteredChildren = true;
    }

    /** How the test finished, once it has. */
    Optional<TestExecutionResult> result() {
        return Optional.ofNullable(result);
    }

    @Override
    public Type getType() {
        return hasRegisteredChildren || !children.declared().isEmpty() ? Type.CONTAINER_AND_TEST : Type.TEST;
    }

    @Override
    public boolean mayRegisterTests() {
        return true;
    }

    /** For Surefire: the path of names from the file's top-level test, so sub-tests stay apart ({@code outer/inner}). */
    @Override
    public String getLegacyReportingName() {
        return reportingName;
    }

    @Override
    public ExecutionMode getExecutionMode() {
        return ExecutionMode.SAME_THREAD;
    }

    @Override
    public ProviumExecutionContext prepare(ProviumExecutionContext context) {
        children.detach();
        return context;
    }

    /** A test whose body begins with {@code todo(…)} (found by the scan) is skipped before it starts, with the reason. */
    @Override
    public SkipResult shouldBeSkipped(ProviumExecutionContext context) {
        Optional<String> todo = staticTodo();
        if (todo.isPresent()) {
            context.file().testTodo(this);
            return SkipResult.skip(todo.get());
        }
        return SkipResult.doNotSkip();
    }

    @Override
    public ProviumExecutionContext execute(ProviumExecutionContext context, DynamicTestExecutor dynamicTests) {
        context.file().runBody(this, dynamicTests);
        return context;
    }

    @Override
    public void cleanUp(ProviumExecutionContext context) {
        children.reattach();
    }

    @Override
    public void nodeFinished(ProviumExecutionContext context, TestDescriptor descriptor, TestExecutionResult testResult) {
        result = testResult;
        if (context != null && context.inFile()) {
            context.file().testFinished(this, testResult);
        }
    }

    @Override
    public void nodeSkipped(ProviumExecutionContext context, TestDescriptor descriptor, SkipResult skipResult) {
        result = TestExecutionResult.successful();
    }
}
