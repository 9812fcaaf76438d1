package dev.provium.engine;

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

    @Override
    public ProviumExecutionContext execute(ProviumExecutionContext context, DynamicTestExecutor dynamicTests) {
        context.file().runBody(this);
        return context;
    }

    @Override
    public void nodeFinished(ProviumExecutionContext context, TestDescriptor descriptor, TestExecutionResult result) {
        if (context != null && context.inFile()) {
            context.file().testFinished(this, result);
        }
    }
}
