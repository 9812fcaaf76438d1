package dev.provium.engine;

import static dev.provium.engine.ExecutionTest.named;
import static dev.provium.engine.Scenarios.engine;
import static dev.provium.engine.Scenarios.file;
import static dev.provium.engine.Scenarios.fileId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.dynamicTestRegistered;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.uniqueIdSubstrings;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** test() inside a running test registers a sub-test: Go-style nesting, any depth. */
class SubTestsTest {

    private static final UniqueId OUTER = fileId("tree.lua").append("test", "outer");

    private static EngineExecutionResults runTree() {
        return engine("subtests").selectors(selectFile(file("subtests", "tree.lua").toFile())).execute();
    }

    @Test
    void subTestsRunInsideTheirParentAndAFailingOneFailsIt() {
        Events tests = runTree().testEvents();

        tests.assertThatEvents()
                .haveExactly(1, event(named("inner passes"), finishedSuccessfully()))
                .haveExactly(1, event(named("inner fails"), finishedWithFailure(instanceOf(AssertionFailedError.class))))
                .haveExactly(1, event(named("deepest"), finishedSuccessfully()))
                .haveExactly(1, event(named("deeper"), finishedSuccessfully()))
                .haveExactly(1, event(named("outer"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message("sub-test 'inner fails' failed"))))
                .haveExactly(1, event(named("test() returns whether its sub-test passed"), finishedSuccessfully()));
    }

    @Test
    void subTestsHaveUniqueIdsBelowTheirParentAndTheirLines() {
        Events tests = runTree().testEvents();

        TestDescriptor deepest = tests.started().filter(e -> e.getTestDescriptor().getDisplayName().equals("deepest"))
                .findFirst().orElseThrow().getTestDescriptor();
        assertThat(deepest.getUniqueId()).isEqualTo(OUTER.append("test", "deeper").append("test", "deepest"));
        assertThat(deepest.getSource()).contains(FileSource.from(file("subtests", "tree.lua").toFile(), FilePosition.from(10)));
        assertThat(deepest.getLegacyReportingName()).isEqualTo("outer/deeper/deepest");
        TestDescriptor outer = deepest.getParent().orElseThrow().getParent().orElseThrow();
        assertThat(outer.getUniqueId()).isEqualTo(OUTER);
        assertThat(outer.getType()).isEqualTo(TestDescriptor.Type.CONTAINER_AND_TEST);
        assertThat(outer.isTest()).isTrue();
    }

    @Test
    void staticSubTestsAreInTheTestPlanAndComputedOnesAreRegisteredUnderTheirParent() {
        Events tests = runTree().testEvents();

        tests.assertThatEvents()
                .haveExactly(1, event(dynamicTestRegistered(displayName("generated 1")), uniqueIdSubstrings("outer", "generated 1")))
                .haveExactly(1, event(dynamicTestRegistered(displayName("generated 2"))))
                .haveExactly(0, event(dynamicTestRegistered(displayName("inner passes"))))
                .haveExactly(0, event(dynamicTestRegistered(displayName("deepest"))));
    }

    @Test
    void todoWorksInSubTests() {
        Events tests = runTree().testEvents();

        tests.assertThatEvents()
                .haveExactly(1, event(named("todo from the start"), skippedWithReason("later")))
                .haveExactly(1, event(named("todo midway"), abortedWithReason(message("half done"))))
                .haveExactly(1, event(named("passes"), finishedSuccessfully()))
                .haveExactly(1, event(named("todo children"), finishedSuccessfully()))
                .haveExactly(1, event(named("runs"), finishedSuccessfully()))
                .haveExactly(1, event(named("todo after a sub-test"), abortedWithReason(message("rest not written"))))
                .haveExactly(1, event(named("never reached"), skippedWithReason("rest not written")));
    }

    @Test
    void aSubTestIsSelectedByItsUniqueIdAndOnlyItRunsInsideItsParents() {
        Events tests = engine("subtests").selectors(selectUniqueId(OUTER.append("test", "deeper").append("test", "deepest")))
                .execute().testEvents();

        tests.assertStatistics(stats -> stats.started(3).succeeded(3).skipped(0).dynamicallyRegistered(0));
        tests.assertThatEvents().haveExactly(1, event(named("deepest"), finishedSuccessfully()));
    }

    @Test
    void aComputedSubTestIsSelectedByItsUniqueId() {
        Events tests = engine("subtests").selectors(selectUniqueId(OUTER.append("test", "generated 2")))
                .execute().testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(2).dynamicallyRegistered(1));
        tests.assertThatEvents().haveExactly(1, event(named("generated 2"), finishedSuccessfully()));
    }

    @Test
    void selectingAParentRunsAllItsSubTests() {
        Events tests = engine("subtests").selectors(selectUniqueId(OUTER)).execute().testEvents();

        tests.assertStatistics(stats -> stats.started(7).failed(2).dynamicallyRegistered(2));
    }
}
