package dev.provium.engine;

import org.opentest4j.TestAbortedException;

import java.nio.file.Path;

import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * One {@code test(name, fn)} of a Lua file. It runs when the file's program reaches the call, on the file's
 * thread ({@link ExecutionMode#SAME_THREAD}), through {@link FileExecution}.
 */
final class LuaTestDescriptor extends AbstractTestDescriptor implements Node<ProviumExecutionContext> {

    static final String SEGMENT_TYPE = "test";

    private final String name;
    private final int line;
    private final boolean dynamic;
    private Throwable failure;

    LuaTestDescriptor(UniqueId fileId, String name, Path file, int line, boolean dynamic) {
        super(fileId.append(SEGMENT_TYPE, name), name,
                line > 0 ? FileSource.from(file.toFile(), FilePosition.from(line)) : FileSource.from(file.toFile()));
        this.name = name;
        this.line = line;
        this.dynamic = dynamic;
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
        return dynamic;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public ExecutionMode getExecutionMode() {
        return ExecutionMode.SAME_THREAD;
    }

    /**
     * Runs the body before the test is reported as started, because only a test that never started can be
     * reported skipped with its reason (Surefire writes {@code <skipped message="reason">} only for those):
     * a body that calls {@code todo()} makes the test skipped; any other outcome is reported by
     * {@link #execute}. The price is that reports time the test at about zero.
     */
    @Override
    public SkipResult shouldBeSkipped(ProviumExecutionContext context) {
        try {
            context.file().runBody(this);
        } catch (MissingPrerequisites.NotRun notRun) {
            context.file().testNotRun();
            return SkipResult.skip(notRun.getMessage());
        } catch (TestAbortedException todo) {
            context.file().testTodo();
            return SkipResult.skip(todo.getMessage());
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
        return SkipResult.doNotSkip();
    }

    @Override
    public ProviumExecutionContext execute(ProviumExecutionContext context, DynamicTestExecutor dynamicTests) throws Exception {
        if (failure instanceof AssertionError assertion) {
            throw assertion;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
        return context;
    }

    @Override
    public void nodeFinished(ProviumExecutionContext context, TestDescriptor descriptor, TestExecutionResult result) {
        if (context != null && context.inFile()) {
            context.file().testFinished(this, result);
        }
    }
}
