package dev.provium.engine;

import dev.provium.config.Constants;

import static dev.provium.engine.Scenarios.engine;
import static dev.provium.engine.Scenarios.file;
import static dev.provium.engine.Scenarios.fileId;
import static dev.provium.engine.Scenarios.testId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathResource;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUri;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.FilePosition;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.testkit.engine.EngineDiscoveryResults;
import org.junit.platform.testkit.engine.Events;
import org.junit.platform.testkit.engine.EngineTestKit;

class DiscoveryTest {

    @Test
    void directorySelectsEveryTestFileButFixturesAndHelpers() {
        EngineDiscoveryResults results = engine("discovery").selectors(selectDirectory(Scenarios.dir("discovery").toFile()))
                .discover();

        assertThat(fileIds(results)).containsExactly("dupes.lua", "loop.lua", "net/boot.lua", "plain.lua");
    }

    @Test
    void staticScanFindsLiteralNamesWithTheirLines() {
        TestDescriptor boot = fileNode(engine("discovery").selectors(selectFile(file("discovery", "net/boot.lua").toFile()))
                .discover(), "net/boot.lua");

        assertThat(boot.getType()).isEqualTo(TestDescriptor.Type.CONTAINER);
        assertThat(namesAndLines(boot)).containsExactly(
                Map.entry("boots", 2), Map.entry("single quotes", 6), Map.entry("long string", 8),
                Map.entry("inside a branch", 14));
        assertThat(boot.getChildren()).allSatisfy(test -> assertThat(((FileSource) test.getSource().orElseThrow())
                .getFile()).isEqualTo(file("discovery", "net/boot.lua").toFile()));
    }

    @Test
    void duplicateNamesGetNumberedSuffixes() {
        TestDescriptor dupes = fileNode(engine("discovery").selectors(selectFile(file("discovery", "dupes.lua").toFile()))
                .discover(), "dupes.lua");

        assertThat(namesAndLines(dupes)).containsExactly(
                Map.entry("same", 1), Map.entry("same [2]", 2), Map.entry("same [2] [2]", 3), Map.entry("same [3]", 4));
    }

    @Test
    void fileWithoutTestCallsIsATest() {
        TestDescriptor plain = fileNode(engine("discovery").selectors(selectFile(file("discovery", "plain.lua").toFile()))
                .discover(), "plain.lua");

        assertThat(plain.getType()).isEqualTo(TestDescriptor.Type.TEST);
        assertThat(plain.getChildren()).isEmpty();
    }

    @Test
    void fileWithComputedNamesIsAContainerThatMayRegisterTests() {
        TestDescriptor loop = fileNode(engine("discovery").selectors(selectFile(file("discovery", "loop.lua").toFile()))
                .discover(), "loop.lua");

        assertThat(loop.getType()).isEqualTo(TestDescriptor.Type.CONTAINER);
        assertThat(loop.mayRegisterTests()).isTrue();
        assertThat(names(loop)).containsExactly("static");
    }

    @Test
    void fileContainerIsNamedAfterItsPathForSurefire() {
        TestDescriptor boot = fileNode(engine("discovery").selectors(selectFile(file("discovery", "net/boot.lua").toFile()))
                .discover(), "net/boot.lua");

        assertThat(boot.getDisplayName()).isEqualTo("net/boot.lua");
        assertThat(boot.getLegacyReportingName()).isEqualTo("net/boot.lua");
        assertThat(boot.getSource()).contains(ClassSource.from("net/boot.lua"));
    }

    @Test
    void fileContainerCanCarryAFileSourceInstead() {
        TestDescriptor boot = fileNode(engine("discovery")
                .configurationParameter(Constants.parameter(Constants.CLASS_SOURCE), "false")
                .selectors(selectFile(file("discovery", "net/boot.lua").toFile())).discover(), "net/boot.lua");

        assertThat(boot.getSource()).contains(FileSource.from(file("discovery", "net/boot.lua").toFile()));
    }

    @Test
    void fileSelectorWithALineSelectsTheTestAroundIt() {
        TestDescriptor boot = fileNode(engine("discovery")
                .selectors(selectFile(file("discovery", "net/boot.lua").toString(), FilePosition.from(3))).discover(),
                "net/boot.lua");

        assertThat(names(boot)).containsExactly("boots");
    }

    @Test
    void fileSelectorWithALineOutsideAnyTestSelectsTheWholeFile() {
        TestDescriptor boot = fileNode(engine("discovery")
                .selectors(selectFile(file("discovery", "net/boot.lua").toString(), FilePosition.from(11))).discover(),
                "net/boot.lua");

        assertThat(names(boot)).hasSize(4);
    }

    @Test
    void fileUriSelectsTheFileAndItsLineQuery() {
        URI uri = file("discovery", "net/boot.lua").toUri();
        assertThat(names(fileNode(engine("discovery").selectors(selectUri(uri)).discover(), "net/boot.lua"))).hasSize(4);

        URI withLine = URI.create(uri + "?line=6");
        assertThat(names(fileNode(engine("discovery").selectors(selectUri(withLine)).discover(), "net/boot.lua")))
                .containsExactly("single quotes");
    }

    @Test
    void directoryUriSelectsTheDirectory() {
        EngineDiscoveryResults results = engine("discovery").selectors(selectUri(Scenarios.dir("discovery/net").toUri()))
                .discover();

        assertThat(fileIds(results)).containsExactly("net/boot.lua");
    }

    @Test
    void classpathRootSelectsItsLuaFilesNamedUnderIt() {
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();
        EngineDiscoveryResults results = engine("discovery")
                .configurationParameter(Constants.parameter(Constants.INCLUDE), "lua/discovery/**")
                .selectors(selectClasspathRoots(Set.of(testClasses)).get(0)).discover();

        assertThat(fileIds(results)).containsExactly(
                "lua/discovery/dupes.lua", "lua/discovery/loop.lua", "lua/discovery/net/boot.lua",
                "lua/discovery/plain.lua");
    }

    @Test
    void classpathResourceSelectsAFileOrADirectory() {
        assertThat(fileIds(engine("discovery").selectors(selectClasspathResource("lua/discovery/net/boot.lua")).discover()))
                .containsExactly("lua/discovery/net/boot.lua");
        assertThat(fileIds(engine("discovery").selectors(selectClasspathResource("/lua/discovery/net")).discover()))
                .containsExactly("lua/discovery/net/boot.lua");
        assertThat(names(fileNode(engine("discovery")
                .selectors(selectClasspathResource("lua/discovery/net/boot.lua", FilePosition.from(6))).discover(),
                "lua/discovery/net/boot.lua"))).containsExactly("single quotes");
    }

    @Test
    void uniqueIdsRoundTrip() {
        EngineDiscoveryResults all = engine("discovery").selectors(selectDirectory(Scenarios.dir("discovery").toFile()))
                .discover();
        for (TestDescriptor descriptor : all.getEngineDescriptor().getDescendants()) {
            EngineDiscoveryResults again = engine("discovery").selectors(selectUniqueId(descriptor.getUniqueId()))
                    .discover();
            assertThat(again.getEngineDescriptor().findByUniqueId(descriptor.getUniqueId()))
                    .as("rediscovering %s", descriptor.getUniqueId()).isPresent();
        }
    }

    @Test
    void uniqueIdOfOneTestSelectsOnlyThatTest() {
        EngineDiscoveryResults results = engine("discovery")
                .selectors(selectUniqueId(testId("net/boot.lua", "single quotes"))).discover();

        assertThat(names(fileNode(results, "net/boot.lua"))).containsExactly("single quotes");
    }

    @Test
    void uniqueIdOfAClasspathFileRoundTrips() {
        EngineDiscoveryResults results = engine("discovery")
                .selectors(selectUniqueId(testId("lua/discovery/net/boot.lua", "boots"))).discover();

        assertThat(names(fileNode(results, "lua/discovery/net/boot.lua"))).containsExactly("boots");
    }

    @Test
    void uniqueIdOfAFileThatIsNotATestSelectsNothing() {
        assertThat(engine("discovery").selectors(selectUniqueId(fileId("helpers.lua"))).discover()
                .getEngineDescriptor().getChildren()).isEmpty();
        assertThat(engine("discovery").selectors(selectUniqueId(fileId("missing.lua"))).discover()
                .getEngineDescriptor().getChildren()).isEmpty();
    }

    @Test
    void explicitlySelectedHelperIsReportedAsNotATest() {
        EngineDiscoveryResults results = engine("discovery")
                .selectors(selectFile(file("discovery", "fixtures/snapshot.lua").toFile())).discover();

        assertThat(results.getEngineDescriptor().getChildren()).isEmpty();
        assertThat(results.getDiscoveryIssues()).extracting(DiscoveryIssue::message).containsExactly(
                "fixtures/snapshot.lua is not run as a test: files under fixtures/ are fixtures, run by "
                        + "provium.fixture(), not tests");
    }

    @Test
    void includeAndExcludePatternsFilterFiles() {
        assertThat(fileIds(engine("discovery").configurationParameter(Constants.parameter(Constants.INCLUDE), "net/**, d*.lua")
                .selectors(selectDirectory(Scenarios.dir("discovery").toFile())).discover()))
                .containsExactly("dupes.lua", "net/boot.lua");
        assertThat(fileIds(engine("discovery").configurationParameter(Constants.parameter(Constants.EXCLUDE), "net/**,plain.lua")
                .selectors(selectDirectory(Scenarios.dir("discovery").toFile())).discover()))
                .containsExactly("dupes.lua", "loop.lua");
    }

    @Test
    void defaultRootIsSrcTestLuaUnderTheProject() {
        EngineDiscoveryResults results = EngineTestKit.engine(new ProviumTestEngine())
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), Scenarios.dir("project").toString())
                .selectors(selectDirectory(Scenarios.dir("project/src/test/lua").toFile())).discover();

        assertThat(fileIds(results)).containsExactly("uses_modules.lua");
    }

    @Test
    void directoryHoldingTheRootsStandsForTheRoots() {
        EngineDiscoveryResults results = EngineTestKit.engine(new ProviumTestEngine())
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), Scenarios.dir("project").toString())
                .selectors(selectDirectory(Scenarios.dir("project").toFile())).discover();

        assertThat(fileIds(results)).as("testdata/*.lua are not tests").containsExactly("uses_modules.lua");
    }

    @Test
    void luaFileInsideAJarIsReportedAsNotRunnable(@TempDir Path temp) throws Exception {
        Path jar = temp.resolve("tests.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("packaged/boot.lua"));
            out.write("test('x', function() end)".getBytes(StandardCharsets.UTF_8));
        }
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, original)) {
            Thread.currentThread().setContextClassLoader(loader);
            EngineDiscoveryResults results = engine("discovery")
                    .selectors(selectClasspathResource("packaged/boot.lua")).discover();

            assertThat(results.getEngineDescriptor().getChildren()).isEmpty();
            assertThat(results.getDiscoveryIssues()).extracting(DiscoveryIssue::message).containsExactly(
                    "classpath resource packaged/boot.lua is inside an archive; Lua tests must be plain files to run");
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    @Test
    void syntaxErrorIsADiscoveryWarningAndAFailingTestAtItsLine() {
        EngineDiscoveryResults results = engine("broken").selectors(selectDirectory(Scenarios.dir("broken").toFile()))
                .discover();

        TestDescriptor broken = fileNode(results, "syntax.lua");
        assertThat(broken.getType()).isEqualTo(TestDescriptor.Type.TEST);
        assertThat(fileNode(results, "fine.lua").getChildren()).hasSize(1);
        assertThat(results.getDiscoveryIssues()).singleElement().satisfies(issue -> {
            assertThat(issue.severity()).isEqualTo(DiscoveryIssue.Severity.WARNING);
            assertThat(issue.message()).startsWith("syntax.lua:4: ").endsWith("(the file will be reported as failed)");
            assertThat(issue.source()).contains(FileSource.from(file("broken", "syntax.lua").toFile(),
                    org.junit.platform.engine.support.descriptor.FilePosition.from(4)));
        });
    }

    @Test
    void badConfigurationIsOneFailingTestNamingTheKey() {
        assertThat(configurationFailure(Constants.PARALLELISM, "zero"))
                .startsWith("configuration parameter provium.parallelism: expected a positive integer, got \"zero\"\n");
        assertThat(configurationFailure(Constants.EXCLUDE, "net/[")).startsWith("provium.exclude: invalid glob pattern 'net/['");
        assertThat(configurationFailure(Constants.CLASS_SOURCE, "yes"))
                .startsWith("configuration parameter provium.class_source: expected true or false, got \"yes\"");
    }

    private static String configurationFailure(String key, String value) {
        EngineDiscoveryResults discovered = engine("discovery").configurationParameter(Constants.parameter(key), value)
                .selectors(selectDirectory(Scenarios.dir("discovery").toFile())).discover();
        assertThat(fileIds(discovered)).containsExactly("provium.toml");
        Events tests = engine("discovery").configurationParameter(Constants.parameter(key), value)
                .selectors(selectDirectory(Scenarios.dir("discovery").toFile())).execute().testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        return ExecutionTest.failureOf(tests, "provium.toml").getMessage();
    }

    static List<String> fileIds(EngineDiscoveryResults results) {
        return results.getEngineDescriptor().getChildren().stream().map(TestDescriptor::getDisplayName).sorted()
                .toList();
    }

    static TestDescriptor fileNode(EngineDiscoveryResults results, String id) {
        return results.getEngineDescriptor().findByUniqueId(fileId(id))
                .orElseThrow(() -> new AssertionError("no file " + id + " in " + fileIds(results)));
    }

    static List<String> names(TestDescriptor file) {
        return file.getChildren().stream().map(TestDescriptor::getDisplayName).toList();
    }

    static List<Map.Entry<String, Integer>> namesAndLines(TestDescriptor file) {
        return file.getChildren().stream()
                .map(test -> Map.entry(test.getDisplayName(), line(test.getSource().orElseThrow())))
                .collect(Collectors.toList());
    }

    private static int line(TestSource source) {
        return ((FileSource) source).getPosition().orElseThrow().getLine();
    }
}
