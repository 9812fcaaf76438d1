package dev.provium.engine;

import dev.provium.config.Constants;
import dev.provium.config.ProviumConfigException;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * Stands in for every Lua file when the configuration cannot be read: one test, at the file and line of the
 * problem, that fails with the message (file, line, key, what is wrong) and no Java stack trace.
 */
final class ConfigurationErrorDescriptor extends AbstractTestDescriptor implements Node<ProviumExecutionContext> {

    static final String SEGMENT_TYPE = "configuration";

    private final ProviumConfigException problem;

    ConfigurationErrorDescriptor(UniqueId engineId, ProviumConfigException problem) {
        super(engineId.append(SEGMENT_TYPE, Constants.CONFIG_FILE_NAME), Constants.CONFIG_FILE_NAME, source(problem));
        this.problem = problem;
    }

    private static TestSource source(ProviumConfigException problem) {
        return problem.file().map(file -> problem.line() > 0
                ? FileSource.from(file.toFile(), FilePosition.from(problem.line()))
                : FileSource.from(file.toFile())).orElse(null);
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public ProviumExecutionContext execute(ProviumExecutionContext context, DynamicTestExecutor dynamicTests) {
        throw new ConfigurationError(problem.getMessage() + "\nNo Lua test ran. Fix "
                + problem.file().map(Object::toString).orElse("the provium.* configuration parameter")
                + " and run again; every [provium] key and its default is documented in dev.provium.config.Constants.");
    }

    /** The configuration problem as reported: the message only (no stack trace, no cause). */
    static final class ConfigurationError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigurationError(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return "provium configuration error: " + getMessage();
        }
    }
}
