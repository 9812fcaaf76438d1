package dev.provium.engine;

import static dev.provium.engine.ExecutionTest.named;
import static dev.provium.engine.Scenarios.engine;
import static dev.provium.engine.Scenarios.file;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.provium.config.Constants;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;

/** A test past its time limit fails with "timed out", what it started is killed, and the file goes on. */
class TimeoutTest {

    private static Events run(String name, String... parameters) {
        var kit = engine("timeouts");
        for (int i = 0; i < parameters.length; i += 2) {
            kit = kit.configurationParameter(parameters[i], parameters[i + 1]);
        }
        return kit.selectors(selectFile(file("timeouts", name).toFile())).execute().testEvents();
    }

    @Test
    void anInfiniteLuaLoopEndsWithTheTestsOwnLimitAndTheFileGoesOn() {
        Events tests = run("loops.lua");

        tests.assertThatEvents()
                .haveExactly(1, event(named("spins forever"), finishedWithFailure(instanceOf(TestTimeoutException.class),
                        message(m -> m.startsWith("test 'spins forever' timed out after 0.5 s")))))
                .haveExactly(1, event(named("pcall cannot swallow the timeout"),
                        finishedWithFailure(message(m -> m.contains("timed out after 0.5 s")))))
                .haveExactly(1, event(named("a coroutine is interrupted too"),
                        finishedWithFailure(message(m -> m.contains("timed out after 0.5 s")))))
                .haveExactly(1, event(named("runs after the timeouts"), finishedSuccessfully()))
                .haveExactly(1, event(named("provium.timeout belongs at file scope"), finishedWithFailure(
                        message(m -> m.contains("provium.timeout(seconds) sets the limit of the file's tests: call it at file scope")))));
    }

    @Test
    void aFileSetsTheLimitOfItsTestsAndAParentsLimitBoundsItsSubTests() {
        Events tests = run("file_limit.lua");

        tests.assertThatEvents()
                .haveExactly(1, event(named("spins under the file's limit"),
                        finishedWithFailure(message(m -> m.startsWith("test 'spins under the file's limit' timed out after 0.5 s")))))
                .haveExactly(1, event(named("spins"),
                        finishedWithFailure(message(m -> m.contains("test 'a sub-test past its parent's limit' timed out")))))
                .haveExactly(1, event(named("a sub-test past its parent's limit"),
                        finishedWithFailure(instanceOf(TestTimeoutException.class))));
    }

    @Test
    void theFilesOwnCodeHasTheLimitOfATestCountedWhileNoTestRuns() {
        EngineExecutionResults results = engine("timeouts")
                .configurationParameter(Constants.parameter(Constants.TEST_TIMEOUT), "1")
                .selectors(selectFile(file("timeouts", "file_code.lua").toFile())).execute();

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(named("outlasts the file's limit, which waits meanwhile"), finishedSuccessfully()))
                .haveExactly(1, event(named("never reached"), skippedWithReason(reason ->
                        reason.startsWith("not run: the code of file_code.lua outside its tests timed out after 1 s"))));
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container("file_code.lua"), finishedWithFailure(instanceOf(TestTimeoutException.class),
                        message(m -> m.startsWith("the code of file_code.lua outside its tests timed out after 1 s")))));
    }

    @Test
    void theConfiguredLimitAppliesByDefault() {
        Events tests = run("configured.lua", Constants.parameter(Constants.TEST_TIMEOUT), "1");

        tests.assertThatEvents().haveExactly(1, event(named("spins under the configured limit"),
                finishedWithFailure(message(m -> m.startsWith("test 'spins under the configured limit' timed out after 1 s")))));
    }
}
