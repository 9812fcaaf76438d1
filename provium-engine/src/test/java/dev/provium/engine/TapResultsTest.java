package dev.provium.engine;

import static dev.provium.engine.ExecutionTest.named;
import static dev.provium.engine.Scenarios.engine;
import static dev.provium.engine.Scenarios.file;
import static dev.provium.engine.Scenarios.fileId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** provium.tap turns TAP/KTAP output into sub-tests (the parser itself: TapParserTest). */
class TapResultsTest {

    @Test
    void eachResultIsASubTestWithItsDiagnosticsAsTheFailureMessage() {
        Events tests = engine("tap").selectors(selectFile(file("tap", "results.lua").toFile())).execute().testEvents();

        tests.assertThatEvents()
                .haveExactly(1, event(named("demo_open"), finishedSuccessfully()))
                .haveExactly(1, event(named("demo_read"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.startsWith("not ok: demo_read\nExpected len == 4, but len == 0")))))
                .haveExactly(1, event(named("demo_ioctl"), abortedWithReason(message("SKIP no hardware"))))
                .haveExactly(1, event(named("demo_suite"), finishedWithFailure(message(m -> m.startsWith("not ok: demo_suite")))))
                .haveExactly(1, event(named("other_suite"), finishedSuccessfully()))
                .haveExactly(1, event(named("kunit output"), finishedWithFailure(message("sub-test 'demo_suite' failed"))))
                .haveExactly(1, event(named("wrapped"), finishedSuccessfully()))
                .haveExactly(1, event(named("an exec result's stdout"), finishedSuccessfully()))
                .haveExactly(1, event(named("a plan that does not match fails the caller"), finishedWithFailure(
                        message(m -> m.contains("provium.tap: the TAP plan announced 3 tests but 1 result was reported")))))
                .haveExactly(1, event(named("no TAP at all"), finishedWithFailure(
                        message(m -> m.contains("provium.tap: no TAP results in the output (it starts: hello)")))))
                .haveExactly(1, event(named("at file scope"), finishedSuccessfully()));
        assertThat(tests.started().filter(e -> e.getTestDescriptor().getDisplayName().equals("demo_read"))
                .map(e -> e.getTestDescriptor().getUniqueId()))
                .containsExactly(fileId("results.lua").append("test", "kunit output").append("test", "demo_suite")
                        .append("test", "demo_read"));
    }

    @Test
    void aFileWhoseOnlyTestsComeFromTapIsAContainerOfThem() {
        Events tests = engine("tap").selectors(selectFile(file("tap", "only_tap.lua").toFile())).execute().testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1).dynamicallyRegistered(2));
        tests.assertThatEvents().haveExactly(1, event(named("second"),
                finishedWithFailure(message("not ok: second\nmessage: broken"))));
    }
}
