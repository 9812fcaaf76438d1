package dev.provium.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A missing prerequisite (no kernel, no QEMU) fails the first test that meets it; later ones are not run. */
class MissingPrerequisiteTest {
    private static final String NOT_RUN = "not run: no kernel found; run scripts/bootstrap"
            + " (reported in full by the first test that needed it)";

    @Test
    void isReportedOnceAndLaterTestsAndFilesAreNotRun() {
        EngineExecutionResults results = Scenarios.engine("prerequisites").selectors(
                selectFile(Scenarios.file("prerequisites", "a.lua").toFile()),
                selectFile(Scenarios.file("prerequisites", "b.lua").toFile()),
                selectFile(Scenarios.file("prerequisites", "c.lua").toFile())).execute();

        results.testEvents().assertStatistics(stats -> stats.failed(1).succeeded(1).skipped(1).aborted(1));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("needs a kernel"),
                        finishedWithFailure(message(m -> m.contains("no kernel found; run scripts/bootstrap")))))
                .haveExactly(1, event(test("also needs a kernel"),
                        org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(NOT_RUN))))
                .haveExactly(1, event(test("never reached"), skippedWithReason(NOT_RUN)));
        assertThat(results.containerEvents().failed().count()).as("files failed").isZero();
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container("c.lua"), org.junit.platform.testkit.engine.EventConditions.abortedWithReason(message(NOT_RUN))));
    }
}
