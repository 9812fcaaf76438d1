package dev.provium.jupiter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.provium.config.Constants;

import java.nio.file.Path;
import java.util.List;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs a {@link TestKitOnly} class on the Jupiter engine, with a scenario under lua/jupiter as project and root. */
final class JupiterKit {
    static final String ENABLED = "dev.provium.jupiter.testkit";
    static final Path SCENARIOS = Path.of("src/test/resources/lua/jupiter").toAbsolutePath();

    private JupiterKit() {
    }

    static Path dir(String scenario) {
        return SCENARIOS.resolve(scenario);
    }

    static EngineExecutionResults run(String scenario, Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ENABLED, "true")
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), dir(scenario).toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .selectors(selectClass(testClass))
                .execute();
    }

    /** The finished event of the test or container with this display name. */
    static Event finished(EngineExecutionResults results, String displayName) {
        List<Event> found = results.allEvents().finished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one finished '" + displayName + "', found " + found.size()
                    + " among " + results.allEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList());
        }
        return found.get(0);
    }

    /** "name: message" of every test or container that did not pass, so a failing run says why. */
    static List<String> failures(EngineExecutionResults results) {
        return results.allEvents().finished().stream()
                .filter(e -> e.getRequiredPayload(TestExecutionResult.class).getStatus() != TestExecutionResult.Status.SUCCESSFUL)
                .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getRequiredPayload(TestExecutionResult.class)
                        .getThrowable().map(Throwable::toString).orElse("?"))
                .toList();
    }

    static TestExecutionResult result(EngineExecutionResults results, String displayName) {
        return finished(results, displayName).getRequiredPayload(TestExecutionResult.class);
    }

    static Throwable failure(EngineExecutionResults results, String displayName) {
        return result(results, displayName).getThrowable().orElseThrow(() -> new AssertionError(displayName + " has no throwable"));
    }
}
