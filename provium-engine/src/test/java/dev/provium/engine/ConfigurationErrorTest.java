package dev.provium.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

import dev.provium.config.Constants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** A bad provium.toml is one clear failure; a broken profile fails only the files that use it. */
class ConfigurationErrorTest {

    @TempDir
    Path project;

    private Path setUp(String toml) throws IOException {
        Path tests = Files.createDirectories(project.resolve("src/test/lua"));
        Files.writeString(tests.resolve("pure.lua"), "test('pure Lua', function() assert_eq(2, 1 + 1) end)\n");
        Files.writeString(tests.resolve("uses_broken.lua"),
                "local vm = provium.create('broken')\ntest('never runs', function() end)\n");
        return Files.writeString(project.resolve("provium.toml"), toml);
    }

    private EngineTestKit.Builder engine() {
        return EngineTestKit.engine(new ProviumTestEngine())
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), project.toString())
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .selectors(selectDirectory(project.resolve("src/test/lua").toFile()));
    }

    @Test
    void aBadConfigurationFileIsOneFailureAtItsLineWithoutAJavaStackTrace() throws IOException {
        Path toml = setUp("[provium]\nparalelism = 2\n");

        Events tests = engine().execute().testEvents();

        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Event failed = tests.failed().list().get(0);
        Throwable problem = failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(problem.getMessage()).startsWith(toml + ":2: provium.paralelism: unknown key (known keys here: ")
                .contains("parallelism").contains("No Lua test ran. Fix " + toml);
        assertThat(problem.getStackTrace()).isEmpty();
        assertThat(problem.getCause()).isNull();
        assertThat(failed.getTestDescriptor().getSource()).contains(FileSource.from(toml.toFile(), FilePosition.from(2)));
    }

    @Test
    void theConsoleShowsTheProblemAndNoStackTrace() throws IOException {
        Path toml = setUp("[provium]\nmemory = \"lots\"\n");
        StringWriter out = new StringWriter();

        int exit = ToolProvider.findFirst("junit").orElseThrow().run(new PrintWriter(out), new PrintWriter(out), "execute",
                "--disable-banner", "--include-engine=provium", "--details=tree",
                "--select-directory=" + project.resolve("src/test/lua"),
                "--config=" + Constants.parameter(Constants.PROJECT_DIR) + "=" + project);

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).as(out.toString()).contains(toml + ":2: provium.memory: invalid memory size 'lots'")
                .doesNotContain("\tat ", "JUnitException", "Caused by");
    }

    @Test
    void aProfileWhoseKernelIsMissingFailsOnlyTheFilesThatUseIt() throws IOException {
        Path toml = setUp("[profile.broken]\nkernel = \"missing/vmlinuz\"\n");

        var results = engine().execute();

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(ExecutionTest.named("pure Lua"), finishedSuccessfully()));
        results.containerEvents().assertThatEvents().haveExactly(1, event(container("uses_broken.lua"),
                finishedWithFailure(message(m -> m.contains(toml + ":2: profile.broken.kernel: file not found: "
                        + project.resolve("missing/vmlinuz"))))));
    }
}
