package dev.provium.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this JVM (see the class orderer in junit-platform.properties):
 * whatever the Lua files did, no QEMU the engine started may still be running.
 */
@Order(Integer.MAX_VALUE)
class NoQemuLeftTest {
    @Test
    void noQemuProcessOutlivesTheEngineRuns() {
        assertThat(ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(command -> command.contains("qemu-system")))
                .as("QEMU processes started by this test JVM that are still running")
                .isEmpty();
    }
}
