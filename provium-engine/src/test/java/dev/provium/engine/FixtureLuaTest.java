package dev.provium.engine;

import dev.provium.config.Constants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;

import dev.provium.config.ProviumConfig;
import dev.provium.lua.VmBindings;
import dev.provium.vm.VmService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * provium.fixture against real guests, run by the engine with a cache directory of each test's own (the
 * extracted kernels and initramfs overlays are shared with the user's cache, to save the extraction).
 */
class FixtureLuaTest {
    @TempDir
    Path cache;
    private final List<String> notices = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void needsQemu() {
        assumeTrue(VmService.installedQemu().isPresent(), "qemu-system-x86_64 is not installed");
    }

    @BeforeEach
    void shareKernelCache() throws IOException {
        Path shared = ProviumConfig.load(cache).cacheDir();
        for (String sub : List.of("kernels", "images")) {
            Files.createDirectories(shared.resolve(sub));
            Files.createSymbolicLink(cache.resolve(sub), shared.resolve(sub));
        }
    }

    @AfterEach
    void unshareKernelCache() throws IOException {
        for (String sub : List.of("kernels", "images")) {
            Files.deleteIfExists(cache.resolve(sub));
        }
    }

    @Test
    void resumedGuestsHaveTheStateAreIsolatedAndNestAndParallelFilesShareOneBuild() {
        EngineExecutionResults results = run(Scenarios.dir("fixtures-use"), "2");

        VmLuaTest.assertEveryLuaTestPassed(results);
        assertThat(notices).filteredOn(line -> line.startsWith("provium: fixture base built in ")).hasSize(1);
        assertThat(notices).filteredOn(line -> line.startsWith("provium: fixture layered built in ")).hasSize(1);
        assertThat(notices).noneMatch(line -> line.contains("resumed from cache"));
    }

    @Test
    void aSecondRunResumesFromTheCacheAndEditsRebuild(@TempDir Path project) throws IOException {
        copy(Scenarios.dir("fixtures-cache"), project);

        assertThat(runAndTakeNotices(project)).singleElement().asString().startsWith("provium: fixture marked built in ");
        assertThat(runAndTakeNotices(project)).singleElement().asString().startsWith("provium: fixture marked resumed from cache");

        Path script = project.resolve("fixtures/marked.lua");
        Files.writeString(script, Files.readString(script) + "-- edited\n");
        assertThat(runAndTakeNotices(project)).singleElement().asString().startsWith("provium: fixture marked built in ");

        Files.writeString(project.resolve("lib/marker.lua"), "return {text = \"second marker\"}\n");
        assertThat(runAndTakeNotices(project)).singleElement().asString().startsWith("provium: fixture marked built in ");
    }

    @Test
    void aCachedSnapshotThatDoesNotResumeIsBuiltAgain(@TempDir Path project) throws IOException {
        copy(Scenarios.dir("fixtures-cache"), project);
        assertThat(runAndTakeNotices(project)).singleElement().asString().startsWith("provium: fixture marked built in ");
        try (Stream<Path> files = Files.walk(cache.resolve("fixtures"))) {
            // the fixture's own snapshot; the boot cache's (in boot buckets of the same directory) stays intact
            for (Path state : files.filter(file -> file.getFileName().toString().equals("state"))
                    .filter(file -> !cache.resolve("fixtures").relativize(file).getName(0).toString().startsWith("boot-")).toList()) {
                Files.writeString(state, "damaged");
            }
        }

        assertThat(runAndTakeNotices(project)).satisfiesExactly(
                line -> assertThat(line).startsWith("provium: cached snapshot of marked does not resume: its state file ")
                        .contains("does not match the SHA-256 recorded when it was saved").endsWith("; building it again")
                        .doesNotContain("Exception"),
                line -> assertThat(line).startsWith("provium: fixture marked built in "));
    }

    @Test
    void twoJvmsAskingForOneFixtureAtOnceBuildItOnce(@TempDir Path project) throws Exception {
        copy(Scenarios.dir("fixtures-cache"), project);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FixtureRunMain.class.getName(),
                project.toString(), cache.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(output.readLine()).isEqualTo("starting");
            List<String> here = runAndTakeNotices(project);
            List<String> there = output.lines().filter(line -> line.startsWith("notice: ") || line.startsWith("succeeded "))
                    .toList();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(there).last().isEqualTo("succeeded 1 failed 0");
            List<String> all = new ArrayList<>(here);
            there.stream().filter(line -> line.startsWith("notice: ")).map(line -> line.substring("notice: ".length())).forEach(all::add);
            assertThat(all).filteredOn(line -> line.startsWith("provium: fixture marked built in ")).hasSize(1);
            assertThat(all).filteredOn(line -> line.startsWith("provium: fixture marked resumed from cache")).hasSize(1);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailingFixtureScriptFailsEveryTestThatAsksForItWithItsErrorAndIsBuiltOnce() {
        EngineExecutionResults results = run(Scenarios.dir("fixtures-broken"), "1");

        String stuck = "a fixture script stuck in a loop ends at the limit of the test that asks for it";
        assertThat(VmLuaTest.failures(results)).allMatch(failure -> failure.startsWith("first use: ")
                || failure.startsWith("second use: ") || failure.startsWith(stuck + ": "));
        results.testEvents().assertStatistics(stats -> stats.started(8).succeeded(5).failed(3));
        assertThat(message(results, stuck)).startsWith("test '" + stuck + "' timed out after 1 s");
        String first = message(results, "first use");
        assertThat(first)
                .contains("fixture 'broken' failed to build: fixtures/broken.lua:4: the fixture setup went wrong")
                .contains("--- guest console of default (last lines) ---")
                .contains("the guest saw it coming")
                .doesNotContain("not tried again");
        assertThat(message(results, "second use"))
                .contains("fixture 'broken' failed to build: fixtures/broken.lua:4: the fixture setup went wrong")
                .contains("the guest saw it coming")
                .contains("not tried again until the next run");
        assertThat(notices).noneMatch(line -> line.contains("built in"));
    }

    private EngineExecutionResults run(Path project, String parallelism) {
        return EngineTestKit.engine(new ProviumTestEngine(new VmBindings(notices::add)))
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), project.toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .configurationParameter(Constants.parameter(Constants.PARALLELISM), parallelism)
                .configurationParameter("provium.cache_dir", cache.toString())
                .selectors(selectDirectory(project.toFile()))
                .execute();
    }

    private List<String> runAndTakeNotices(Path project) {
        notices.clear();
        EngineExecutionResults results = run(project, "1");
        VmLuaTest.assertEveryLuaTestPassed(results);
        // the fixtures' lines; the boot cache, which the fixture's boot uses, reports on its own
        return notices.stream().filter(line -> line.startsWith("provium: fixture") || line.startsWith("provium: cached snapshot")).toList();
    }

    private static String message(EngineExecutionResults results, String test) {
        Event finished = results.testEvents().finished().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().equals(test))
                .findFirst().orElseThrow();
        return finished.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                .map(Throwable::getMessage).orElse("");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
