package dev.provium.engine;

import dev.provium.config.Constants;

import static dev.provium.engine.Scenarios.engine;
import static dev.provium.engine.Scenarios.file;
import static dev.provium.engine.Scenarios.testId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.dynamicTestRegistered;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.List;

import dev.provium.lua.LuaScriptException;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExecutionTest {

    @Test
    void eachTestReportsItsOwnOutcome() {
        Events tests = run("outcomes", "outcomes.lua").testEvents();

        tests.assertStatistics(stats -> stats.started(6).succeeded(1).failed(3).aborted(2).skipped(2));
        tests.assertThatEvents()
                .haveExactly(1, event(named("passes"), finishedSuccessfully()))
                .haveExactly(1, event(named("is todo"), skippedWithReason("waiting for the frobnicator")))
                .haveExactly(1, event(named("todo without a reason"), skippedWithReason("todo")))
                .haveExactly(1, event(named("todo inside pcall still skips"), abortedWithReason(message("skipped through pcall"))))
                .haveExactly(1, event(named("todo after some work"), abortedWithReason(message("the rest needs a driver"))));
    }

    @Test
    void aTodoAtTheStartOfABodyIsSkippedBeforeItStartsAndALaterOneAbortsTheRunningTest() {
        Events tests = run("outcomes", "outcomes.lua").testEvents();

        assertThat(tests.started().map(e -> e.getTestDescriptor().getDisplayName()))
                .doesNotContain("is todo", "todo without a reason")
                .contains("todo after some work");
    }

    @Test
    void theBodyRunsBetweenStartedAndFinishedSoReportsTimeIt() {
        List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        RecordingBindings bindings = new RecordingBindings(order);
        org.junit.platform.launcher.Launcher launcher = org.junit.platform.launcher.core.LauncherFactory.create(
                org.junit.platform.launcher.core.LauncherConfig.builder().enableTestEngineAutoRegistration(false)
                        .addTestEngines(new ProviumTestEngine(bindings)).build());
        launcher.execute(org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request()
                .selectors(selectFile(file("outcomes", "timed.lua").toFile()))
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), Scenarios.dir("outcomes").toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false").build(),
                new org.junit.platform.launcher.TestExecutionListener() {
                    @Override
                    public void executionStarted(org.junit.platform.launcher.TestIdentifier id) {
                        order.add("started " + id.getDisplayName());
                    }

                    @Override
                    public void executionFinished(org.junit.platform.launcher.TestIdentifier id, TestExecutionResult result) {
                        order.add("finished " + id.getDisplayName());
                    }
                });

        assertThat(order).containsSubsequence("started timed", "body of timed", "finished timed")
                .containsSubsequence("started outer", "body of outer", "started inner", "body of inner",
                        "finished inner", "finished outer");
    }

    @Test
    void assertionFailureIsAnAssertionErrorWithBothValues() {
        Throwable failure = failureOf(run("outcomes", "outcomes.lua").testEvents(), "fails an assertion");

        assertThat(failure).isInstanceOf(AssertionFailedError.class).hasMessageStartingWith(
                "outcomes.lua:10: assert_eq failed: lists differ\n"
                        + "  expected: {1, 2, name = \"x\"}\n"
                        + "  actual:   {1, 3, name = \"x\"}\n"
                        + "  at [2]: expected 2, got 3\n"
                        + "stack traceback:\n");
        AssertionFailedError assertion = (AssertionFailedError) failure;
        assertThat(assertion.getExpected().getStringRepresentation()).isEqualTo("{1, 2, name = \"x\"}");
        assertThat(assertion.getActual().getStringRepresentation()).isEqualTo("{1, 3, name = \"x\"}");
    }

    @Test
    void luaErrorIsAnErrorWithTheLuaTracebackAsStackTrace() {
        Throwable failure = failureOf(run("outcomes", "outcomes.lua").testEvents(), "raises an error");

        assertThat(failure).isInstanceOf(LuaScriptException.class).isNotInstanceOf(AssertionError.class)
                .hasMessageStartingWith("outcomes.lua:15: attempt to index ? (a nil value)\nstack traceback:\n\t"
                        + "outcomes.lua:15: in function 'index_nil'");
        assertThat(failure.getStackTrace()).extracting(StackTraceElement::toString).startsWith(
                "lua.index_nil(outcomes.lua:15)", "lua.test(outcomes.lua:19)", "lua.main chunk(outcomes.lua:18)");
    }

    @Test
    void javaExceptionFromABindingStaysTheCause() {
        Throwable failure = failureOf(run("outcomes", "outcomes.lua").testEvents(), "fails in a Java binding");

        assertThat(failure).isInstanceOf(LuaScriptException.class)
                .hasMessageStartingWith("outcomes.lua:28: java.lang.IllegalStateException: the VM died\n");
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessage("the VM died\nconsole tail:\n[    1.2] Kernel panic");
    }

    @Test
    void fileWithoutTestsIsOneTest() {
        Events tests = run("outcomes", "single.lua", "single_fails.lua").testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failureOf(tests, "single_fails.lua")).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("single_fails.lua:3: the answer is wrong");
    }

    @Test
    void topLevelFailureFailsTheFileAndSkipsTheTestsItNeverReached() {
        EngineExecutionResults results = run("toplevel", "fails_midway.lua");

        String reason = "not run: fails_midway.lua failed at line 4: attempt to index ? (a nil value)";
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(named("runs first"), finishedSuccessfully()))
                .haveExactly(1, event(named("never reached"), skippedWithReason(reason)))
                .haveExactly(1, event(named("also never reached"), skippedWithReason(reason)));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container("fails_midway.lua"),
                finishedWithFailure(instanceOf(LuaScriptException.class),
                        message(m -> m.startsWith("fails_midway.lua:4: attempt to index ? (a nil value)")))));
    }

    @Test
    void todoAtFileScopeSkipsTheRestOfTheFile() {
        EngineExecutionResults results = run("toplevel", "file_todo.lua", "file_todo_single.lua");

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(named("runs before the todo"), finishedSuccessfully()))
                .haveExactly(1, event(named("skipped by the file todo"), skippedWithReason("the rest needs a newer kernel")))
                .haveExactly(1, event(named("file_todo_single.lua"), abortedWithReason(message("not written yet"))));
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container("file_todo.lua"), finishedSuccessfully()));
    }

    @Test
    void testNotReachedIsSkippedWithTheReason() {
        run("toplevel", "unreached.lua").testEvents().assertThatEvents()
                .haveExactly(1, event(named("runs"), finishedSuccessfully()))
                .haveExactly(1, event(named("conditional"),
                        skippedWithReason("not run: unreached.lua ended without reaching test() at line 3")));
    }

    @Test
    void aFailingSubTestFailsTheOuterOne() {
        run("toplevel", "nested.lua").testEvents().assertThatEvents()
                .haveExactly(1, event(named("outer"), finishedWithFailure(message("sub-test 'inner fails' failed"))))
                .haveExactly(1, event(named("inner"), finishedSuccessfully()))
                .haveExactly(1, event(named("inner fails"), finishedWithFailure(message(m -> m.contains("inner broke")))));
    }

    @Test
    void syntaxErrorFailsTheFileAtItsLine() {
        Events tests = run("broken", "syntax.lua", "fine.lua").testEvents();

        tests.assertThatEvents().haveExactly(1, event(named("still runs"), finishedSuccessfully()));
        Throwable failure = failureOf(tests, "syntax.lua");
        assertThat(failure).isInstanceOf(LuaScriptException.class)
                .hasMessage("syntax.lua:4: unexpected symbol 61 (=)");
        assertThat(failure.getStackTrace()).extracting(StackTraceElement::toString)
                .containsExactly("lua.main chunk(syntax.lua:4)");
    }

    @Test
    void namesComputedAtRunTimeAreRegisteredDynamically() {
        Events tests = run("dynamic", "loop.lua").testEvents();

        tests.assertThatEvents()
                .haveExactly(1, event(dynamicTestRegistered(displayName("alpha"))))
                .haveExactly(1, event(dynamicTestRegistered(displayName("beta"))))
                .haveExactly(1, event(dynamicTestRegistered(displayName("alpha [2]"))))
                .haveExactly(1, event(dynamicTestRegistered(displayName("literal in a loop [2]"))))
                .haveExactly(0, event(dynamicTestRegistered(displayName("literal in a loop"))))
                .haveExactly(1, event(named("literal in a loop"), finishedSuccessfully()))
                .haveExactly(1, event(named("literal in a loop [2]"),
                        finishedWithFailure(message(m -> m.contains("second iteration fails")))));
        tests.assertStatistics(stats -> stats.started(5).succeeded(4).failed(1));
        assertThat(tests.dynamicallyRegistered().filter(e -> e.getTestDescriptor().getDisplayName().equals("beta"))
                .map(e -> e.getTestDescriptor().getSource().orElseThrow()))
                .containsExactly(FileSource.from(file("dynamic", "loop.lua").toFile(), FilePosition.from(4)));
    }

    @Test
    void nonAsciiNamesAndAShebangLineWork() {
        Events tests = run("dynamic", "unicode.lua").testEvents();

        tests.assertStatistics(stats -> stats.started(1).succeeded(1).dynamicallyRegistered(0));
        tests.assertThatEvents().haveExactly(1, event(named("größe ✓"), finishedSuccessfully()));
    }

    @Test
    void onlySelectedTestsRunButTopLevelCodeAlwaysDoes() {
        Events tests = engine("partial").selectors(selectUniqueId(testId("steps.lua", "second")),
                selectUniqueId(testId("steps.lua", "third"))).execute().testEvents();

        tests.assertStatistics(stats -> stats.started(2).succeeded(2).skipped(0).dynamicallyRegistered(0));
    }

    @Test
    void dynamicTestCanBeSelectedByItsUniqueId() {
        Events tests = engine("partial").selectors(selectUniqueId(testId("steps.lua", "generated 2"))).execute()
                .testEvents();

        tests.assertStatistics(stats -> stats.started(1).succeeded(1).dynamicallyRegistered(1));
        tests.assertThatEvents().haveExactly(1, event(named("generated 2"), finishedSuccessfully()));
    }

    @Test
    void perTestAndPerFileResourcesCloseWhenTheirOwnerEnds() {
        RecordingBindings bindings = new RecordingBindings();
        EngineExecutionResults results = engine("scopes", bindings)
                .selectors(selectFile(file("scopes", "resources.lua").toFile())).execute();

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(named("owns a resource"), finishedSuccessfully()))
                .haveExactly(1, event(named("fails to release a resource"), finishedWithFailure(
                        instanceOf(IllegalStateException.class),
                        message(m -> m.startsWith("cleanup at the end of test 'fails to release a resource' in "
                                + "resources.lua failed for ") && m.endsWith(": cannot release stuck worker")))))
                .haveExactly(1, event(named("sees its own resources closed before the next test"), finishedSuccessfully()));
        assertThat(bindings.closed).containsExactly("test resource", "stuck worker", "file resource", "engine");
    }

    @Test
    void fileCleanupFailureFailsTheFile() {
        EngineExecutionResults results = engine("scopes")
                .selectors(selectFile(file("scopes", "file_cleanup_fails.lua").toFile())).execute();

        results.testEvents().assertThatEvents().haveExactly(1, event(named("passes"), finishedSuccessfully()));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container("file_cleanup_fails.lua"),
                finishedWithFailure(message(m -> m.contains("cleanup at the end of file_cleanup_fails.lua failed")
                        && m.endsWith("cannot release stuck VM")))));
    }

    @Test
    void luaApiBehavesAsSpecified() {
        Events tests = engine("api").selectors(selectDirectory(Scenarios.dir("api").toFile())).execute().testEvents();

        assertThat(failures(tests)).isEmpty();
        tests.assertStatistics(stats -> stats.failed(0).aborted(0).skipped(0));
        assertThat(tests.started().count()).isGreaterThan(20);
    }

    @Test
    void scriptsLoadFilesAndModulesRelativeToTheProject() {
        Events tests = org.junit.platform.testkit.engine.EngineTestKit.engine(new ProviumTestEngine())
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), Scenarios.dir("project").toString())
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .selectors(selectDirectory(Scenarios.dir("project/src/test/lua").toFile())).execute().testEvents();

        assertThat(failures(tests)).isEmpty();
        tests.assertStatistics(stats -> stats.started(5).succeeded(5));
    }

    /** A test by its display name (unique id substrings would also match longer names). */
    static Condition<Event> named(String name) {
        return Assertions.allOf(test(), displayName(name));
    }

    private static EngineExecutionResults run(String scenario, String... files) {
        return engine(scenario).selectors(java.util.Arrays.stream(files)
                .map(f -> selectFile(file(scenario, f).toFile())).toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                .execute();
    }

    static Throwable failureOf(Events tests, String name) {
        return tests.finished().filter(e -> e.getTestDescriptor().getDisplayName().equals(name))
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .findFirst().orElseThrow(() -> new AssertionError("no finished test named " + name));
    }

    /** Names and messages of failed tests, so a failing Lua spec shows what went wrong. */
    static List<String> failures(Events tests) {
        return tests.failed().stream().map(ExecutionTest::describe).toList();
    }

    private static String describe(Event event) {
        return event.getTestDescriptor().getDisplayName() + ": " + event.getRequiredPayload(TestExecutionResult.class)
                .getThrowable().map(Throwable::getMessage).orElse("?");
    }
}
