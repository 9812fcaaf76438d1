package dev.provium.internal.agent;

import dev.provium.internal.DirectoryTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real agent on the host for each test ({@code @RegisterExtension}), in a directory of its own, named
 * after the test in its log. It starts before the class's {@code @BeforeEach} methods and stops after its
 * {@code @AfterEach} methods.
 */
final class RunningAgent implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private AgentProcess agent;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("provium-agent-test");
        agent = AgentProcess.start(dir, context.getRequiredTestClass().getSimpleName() + "-"
                + context.getRequiredTestMethod().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            agent.stop();
        } finally {
            DirectoryTrees.delete(dir, "agent test directory");
        }
    }

    AgentProcess agent() {
        return agent;
    }

    AgentClient client() {
        return agent.client;
    }

    /** The test's own directory, the agent's working directory. */
    Path dir() {
        return dir;
    }
}
