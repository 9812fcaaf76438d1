package dev.provium.jupiter;

import static dev.provium.jupiter.JupiterKit.failure;
import static dev.provium.jupiter.JupiterKit.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.TestExecutionResult.Status.ABORTED;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import dev.provium.config.Constants;
import dev.provium.lua.LuaScriptException;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Lua files as Jupiter dynamic tests (pure Lua: no guest boots). */
class LuaTestsTest {

    @Provium
    @TestKitOnly
    static class AllFiles {
        @TestFactory
        Stream<DynamicNode> lua() {
            return LuaTests.in(".");
        }
    }

    @Provium
    @TestKitOnly
    static class OneFile {
        @TestFactory
        Stream<DynamicNode> lua() {
            return LuaTests.files("net/single.lua", "outcomes.lua");
        }
    }

    @TestKitOnly
    static class WithoutTheExtension {
        @TestFactory
        Stream<DynamicNode> lua() {
            return LuaTests.in(".");
        }
    }

    @Test
    void eachFileIsAContainerWithItsFileAndEachTestADynamicTestAtItsLine() {
        EngineExecutionResults results = JupiterKit.run("pure", AllFiles.class);

        assertThat(results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList())
                .containsExactly("net/single.lua", "passes", "fails an assertion", "raises an error", "is todo",
                        "computed 1", "computed 2");
        assertThat(source(results, "outcomes.lua"))
                .isEqualTo(FileSource.from(JupiterKit.dir("pure").resolve("outcomes.lua").toFile()));
        assertThat(source(results, "passes"))
                .isEqualTo(FileSource.from(JupiterKit.dir("pure").resolve("outcomes.lua").toFile(), FilePosition.from(5)));
        assertThat(source(results, "computed 2"))
                .isEqualTo(FileSource.from(JupiterKit.dir("pure").resolve("outcomes.lua").toFile(), FilePosition.from(29)));
        assertThat(source(results, "net/single.lua"))
                .isEqualTo(FileSource.from(JupiterKit.dir("pure").resolve("net/single.lua").toFile()));
    }

    @Test
    void outcomesAreJUnitOutcomesWithTheLuaMessageAndTraceback() {
        EngineExecutionResults results = JupiterKit.run("pure", AllFiles.class);

        assertThat(result(results, "passes").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(result(results, "computed 1").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(result(results, "computed 2").getStatus()).as("tests run in order, after the top-level code before them")
                .isEqualTo(SUCCESSFUL);
        assertThat(result(results, "net/single.lua").getStatus()).isEqualTo(SUCCESSFUL);

        Throwable assertion = failure(results, "fails an assertion");
        assertThat(assertion).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("values differ")
                .hasMessageContaining("\"expected\"")
                .hasMessageContaining("stack traceback")
                .hasMessageContaining("outcomes.lua:11");
        assertThat(assertion.getStackTrace()[0].getFileName()).endsWith("outcomes.lua");
        assertThat(assertion.getStackTrace()[0].getLineNumber()).isEqualTo(11);

        Throwable error = failure(results, "raises an error");
        assertThat(error).isInstanceOf(LuaScriptException.class).isNotInstanceOf(AssertionError.class)
                .hasMessageContaining("attempt to index")
                .hasMessageContaining("outcomes.lua:16");
        assertThat(result(results, "raises an error").getStatus()).isEqualTo(FAILED);

        assertThat(result(results, "is todo").getStatus()).isEqualTo(ABORTED);
        assertThat(failure(results, "is todo")).isInstanceOf(TestAbortedException.class)
                .hasMessage("waiting for the frobnicator");

        results.containerEvents().assertStatistics(stats -> stats.failed(0).aborted(0));
    }

    @Test
    void explicitFilesRunInTheOrderGiven() {
        EngineExecutionResults results = JupiterKit.run("pure", OneFile.class);

        assertThat(results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList())
                .as("a file without test() is one test").startsWith("net/single.lua", "passes");
        assertThat(JupiterKit.finished(results, "outcomes.lua").getTestDescriptor().isContainer()).isTrue();
        results.testEvents().assertStatistics(stats -> stats.started(7).succeeded(4).failed(2).aborted(1));
    }

    @Test
    void aUniqueIdSelectsOneLuaTestAndTheFileRunsPastTheOthers() {
        String uniqueId = "[engine:junit-jupiter]/[class:" + AllFiles.class.getName() + "]/[test-factory:lua()]"
                + "/[dynamic-container:#2]/[dynamic-test:#5]";
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(JupiterKit.ENABLED, "true")
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), JupiterKit.dir("pure").toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .selectors(DiscoverySelectors.selectUniqueId(uniqueId))
                .execute();

        assertThat(results.testEvents().finished().stream().map(e -> e.getTestDescriptor().getDisplayName()).toList())
                .containsExactly("computed 1");
        assertThat(result(results, "computed 1").getStatus()).as("the top-level code before it ran, the tests did not")
                .isEqualTo(FAILED);
        assertThat(failure(results, "computed 1")).hasMessageContaining("expected: 1").hasMessageContaining("actual:   0");
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
    }

    @Test
    void aFailingTopLevelFailsTheFilesContainerAfterTheTestsItReached() {
        EngineExecutionResults results = JupiterKit.run("broken", AllFiles.class);

        assertThat(result(results, "runs first").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(result(results, "top_fails.lua").getStatus()).isEqualTo(FAILED);
        assertThat(failure(results, "top_fails.lua")).hasMessageContaining("attempt to index")
                .hasMessageContaining("top_fails.lua:4");
        assertThat(names(results)).doesNotContain("never reached");
    }

    @Test
    void todoAtFileScopeAbortsTheRestOfTheFile() {
        EngineExecutionResults results = JupiterKit.run("broken", AllFiles.class);

        assertThat(result(results, "before the todo").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(result(results, "file_todo.lua").getStatus()).isEqualTo(ABORTED);
        assertThat(failure(results, "file_todo.lua")).hasMessage("the rest waits for a newer kernel");
        assertThat(names(results)).doesNotContain("after the todo");
    }

    @Test
    void nestedTestCallsFailTheOuterTest() {
        EngineExecutionResults results = JupiterKit.run("broken", AllFiles.class);

        assertThat(failure(results, "outer")).hasMessageContaining("test('inner') was called inside test('outer')");
    }

    @Test
    void withoutTheExtensionTheFactorySaysWhatIsMissing() {
        EngineExecutionResults results = JupiterKit.run("pure", WithoutTheExtension.class);

        assertThat(failure(results, "lua()")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("annotate the test class with @Provium");
    }

    private static TestSource source(EngineExecutionResults results, String displayName) {
        return JupiterKit.finished(results, displayName).getTestDescriptor().getSource().orElseThrow();
    }

    private static List<String> names(EngineExecutionResults results) {
        return results.allEvents().stream().map(e -> e.getTestDescriptor().getDisplayName()).distinct().toList();
    }
}
