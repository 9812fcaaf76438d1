package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this JVM (see the class orderer in junit-platform.properties):
 * whatever the tests did, no QEMU they started may still be running.
 */
@Order(Integer.MAX_VALUE)
class NoQemuLeftTest {
    @Test
    void noQemuProcessOutlivesTheTests() {
        assertThat(TestQemu.childQemus().stream().map(TestQemu::commandLine))
                .as("QEMU processes started by this test JVM that are still running")
                .isEmpty();
        assertThat(LiveQemus.count()).as("QEMU processes Provium still tracks").isZero();
    }
}
