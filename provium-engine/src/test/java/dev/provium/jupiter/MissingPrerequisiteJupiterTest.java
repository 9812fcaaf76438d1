package dev.provium.jupiter;

import static dev.provium.jupiter.JupiterKit.failure;
import static dev.provium.jupiter.JupiterKit.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.TestExecutionResult.Status.ABORTED;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import dev.provium.vm.MissingPrerequisiteException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite fails the first Jupiter test that meets it with the fix; later ones are aborted. */
class MissingPrerequisiteJupiterTest {
    static final String PROBLEM = "no kernel found; run scripts/bootstrap";

    @Provium
    @TestKitOnly
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class NeedsAKernel {
        @Test
        @Order(1)
        void first() {
            throw new MissingPrerequisiteException(PROBLEM);
        }

        @Test
        @Order(2)
        void second() {
            throw new MissingPrerequisiteException(PROBLEM);
        }

        @Test
        @Order(3)
        void unrelated() {
        }
    }

    @Provium
    @TestKitOnly
    static class InBeforeEach {
        @BeforeEach
        void boot() {
            throw new MissingPrerequisiteException(PROBLEM);
        }

        @Test
        void needsIt() {
        }
    }

    @Test
    void theFirstTestFailsWithTheFixAndLaterOnesAbortNamingIt() {
        EngineExecutionResults results = JupiterKit.run("pure", NeedsAKernel.class);

        assertThat(result(results, "first()").getStatus()).isEqualTo(FAILED);
        assertThat(failure(results, "first()")).isInstanceOf(MissingPrerequisiteException.class).hasMessageContaining(PROBLEM);
        assertThat(result(results, "second()").getStatus()).isEqualTo(ABORTED);
        assertThat(failure(results, "second()")).isInstanceOf(TestAbortedException.class)
                .hasMessage("not run: " + PROBLEM + " (reported in full by test first() in NeedsAKernel)");
        assertThat(result(results, "unrelated()").getStatus()).isEqualTo(SUCCESSFUL);
    }

    @Test
    void lifecycleMethodsAreCoveredAndEachRunReportsItOnceAgain() {
        EngineExecutionResults results = JupiterKit.run("pure", InBeforeEach.class);

        assertThat(result(results, "needsIt()").getStatus()).as("a new JUnit run reports it in full again").isEqualTo(FAILED);
        assertThat(failure(results, "needsIt()")).hasMessageContaining(PROBLEM);
    }
}
