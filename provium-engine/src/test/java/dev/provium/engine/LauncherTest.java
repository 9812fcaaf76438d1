package dev.provium.engine;

import dev.provium.config.Constants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.support.descriptor.ClassSource;

/** Runs the engine as build tools do: loaded by the launcher from META-INF/services, events seen via the test plan. */
class LauncherTest {

    @Test
    void launcherFindsTheEngineAndReportsTestsUnderTheirFiles() {
        Recorder recorder = new Recorder();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectDirectory(Scenarios.dir("dynamic").toFile()),
                        selectDirectory(Scenarios.dir("toplevel").toFile()))
                .filters(includeEngines(ProviumTestEngine.ENGINE_ID))
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), Scenarios.LUA.toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), "dynamic,toplevel")
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .build();
        Launcher launcher = LauncherFactory.create();

        launcher.execute(request, recorder);

        assertThat(recorder.registered).as("static tests are not registered again")
                .containsExactlyInAnyOrder("loop.lua/alpha", "loop.lua/beta", "loop.lua/alpha [2]",
                        "loop.lua/literal in a loop [2]");
        assertThat(recorder.finished).contains(
                "fails_midway.lua/runs first SUCCESSFUL", "loop.lua/literal in a loop SUCCESSFUL",
                "loop.lua/literal in a loop [2] FAILED", "nested.lua/outer FAILED");
        assertThat(recorder.skipped).contains("fails_midway.lua/never reached", "file_todo.lua/skipped by the file todo");
        assertThat(recorder.legacyClassNames).containsOnly("loop.lua", "fails_midway.lua", "file_todo.lua",
                "file_todo_single.lua", "unreached.lua", "nested.lua", "unicode.lua");
    }

    private static final class Recorder implements TestExecutionListener {
        final List<String> registered = Collections.synchronizedList(new ArrayList<>());
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());
        final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        final List<String> legacyClassNames = Collections.synchronizedList(new ArrayList<>());
        private TestPlan plan;

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void dynamicTestRegistered(TestIdentifier test) {
            registered.add(path(test));
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            skipped.add(path(test));
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest()) {
                finished.add(path(test) + " " + result.getStatus());
                legacyClassNames.add(surefireClassName(test));
            }
        }

        /** What Surefire 3.5.4+ writes as classname: the nearest ClassSource, the test itself included. */
        private String surefireClassName(TestIdentifier test) {
            for (TestIdentifier current = test; current != null; current = plan.getParent(current).orElse(null)) {
                if (current.getSource().orElse(null) instanceof ClassSource source) {
                    return source.getClassName();
                }
            }
            return "no ClassSource";
        }

        private String path(TestIdentifier test) {
            return plan.getParent(test).map(TestIdentifier::getLegacyReportingName).orElse("?") + "/"
                    + test.getLegacyReportingName();
        }
    }
}
