package dev.provium.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.provium.lua.VmBindings;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/** Lua files that drive real guests through the VM bindings, run by the engine. */
class VmLuaTest {
    @Test
    void theWholeVmApiWorksAgainstARealGuest() {
        EngineExecutionResults results = Scenarios.engine("vm", new VmBindings())
                .selectors(selectDirectory(Scenarios.dir("vm").toFile())).execute();
        assertEveryLuaTestPassed(results);
    }

    @Test
    void argumentMistakesAreLuaErrorsNamingTheArgument() {
        EngineExecutionResults results = Scenarios.engine("vm-args", new VmBindings())
                .selectors(selectDirectory(Scenarios.dir("vm-args").toFile())).execute();
        assertEveryLuaTestPassed(results);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("methods need a vm and the right argument types"), finishedSuccessfully()));
    }

    @Test
    void aTestStuckInAGuestCallTimesOutItsGuestsAreKilledAndTheFileGoesOn() {
        EngineExecutionResults results = Scenarios.engine("vm-timeout", new VmBindings())
                .selectors(selectDirectory(Scenarios.dir("vm-timeout").toFile())).execute();

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("stuck in a guest it booted"), org.junit.platform.testkit.engine.EventConditions
                        .finishedWithFailure(org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m ->
                                m.startsWith("test 'stuck in a guest it booted' timed out after 8 s")
                                        && m.contains("\nconsole of vm default")))))
                .haveExactly(1, event(test("stuck in the file's guest"), org.junit.platform.testkit.engine.EventConditions
                        .finishedWithFailure(org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m ->
                                m.startsWith("test 'stuck in the file's guest' timed out after 2 s")))))
                .haveExactly(1, event(test("the file's guest still answers"), finishedSuccessfully()));
        assertThat(duration(results, "stuck in the file's guest"))
                .as("a call cancelled seconds after its test's 2 s limit, not at the 300 s operation timeout")
                .isLessThan(Duration.ofSeconds(60));
    }

    private static Duration duration(EngineExecutionResults results, String testName) {
        List<Event> events = results.testEvents().filter(e -> e.getTestDescriptor().getDisplayName().equals(testName))
                .toList();
        Instant started = events.stream().filter(e -> e.getType() == EventType.STARTED).findFirst().orElseThrow().getTimestamp();
        Instant finished = events.stream().filter(e -> e.getType() == EventType.FINISHED).findFirst().orElseThrow().getTimestamp();
        return Duration.between(started, finished);
    }

    /**
     * Every file and test of the run passed, and at least one test ran: the Lua files decide how many tests
     * there are, so adding one to a scenario never breaks this check.
     */
    static void assertEveryLuaTestPassed(EngineExecutionResults results) {
        assertThat(failures(results)).isEmpty();
        long started = results.testEvents().started().count();
        assertThat(started).as("tests started").isPositive();
        results.testEvents().assertStatistics(stats -> stats.succeeded(started).skipped(0).aborted(0).failed(0));
    }

    /** "test name: failure message" for every test that did not pass, so a failing run says why. */
    static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().finished().stream()
                .filter(e -> e.getPayload(TestExecutionResult.class).map(r -> r.getStatus() != TestExecutionResult.Status.SUCCESSFUL).orElse(false))
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("?"))
                .toList();
    }
}
