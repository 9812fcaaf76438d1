package dev.provium.maven.runner;

import dev.provium.config.Constants;
import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs (or lists) a project's Lua tests through the JUnit Platform Launcher with only the {@code provium} engine,
 * selecting the test roots of its {@code provium.toml}. It runs in a forked JVM ({@link #main}) or in an isolated
 * class loader inside Maven ({@link #run}); either way it only talks to the goal through files: the request, the
 * reports, the summary and the listing.
 */
public final class ProviumRunner {

    static final String ENGINE_ID = "provium";
    static final String PROJECT_DIR_PARAMETER = Constants.parameter(Constants.PROJECT_DIR);
    static final String CLASS_SOURCE_PARAMETER = Constants.parameter(Constants.CLASS_SOURCE);

    /** Exit codes: the summary says how the tests went; only a broken run is non-zero. */
    public static final int OK = 0;
    public static final int BROKEN = 3;

    private ProviumRunner() {
    }

    public static void main(String[] args) {
        System.exit(run(args[0]));
    }

    /** Entry point for both modes; {@code requestFile} is a {@link RunRequest}. */
    public static int run(String requestFile) {
        PrintStream originalOut = System.out;
        try {
            RunRequest request = RunRequest.read(Path.of(requestFile));
            return RunRequest.MODE_LIST.equals(request.mode()) ? list(request) : test(request, originalOut);
        } catch (Exception | LinkageError e) {
            System.err.println("provium: the test run broke: " + e);
            e.printStackTrace(System.err);
            return BROKEN;
        } finally {
            System.setOut(originalOut);
        }
    }

    private static int test(RunRequest request, PrintStream console) throws IOException {
        Map<String, String> parameters = parameters(request);
        Launcher launcher = LauncherFactory.create();
        Optional<Set<DiscoverySelector>> selectors = selectors(request, parameters, launcher);
        if (selectors.isEmpty()) {
            RunSummary.empty().write(request.summaryFile());
            return OK;
        }
        OutputCapture capture = new OutputCapture(console);
        System.setOut(new PrintStream(capture, true, StandardCharsets.UTF_8));
        ReportListener reports = new ReportListener(new XmlReports(request.reportsDir()), capture);
        launcher.execute(discovery(selectors.get(), parameters), reports);
        System.out.flush();
        reports.summary().write(request.summaryFile());
        return OK;
    }

    private static int list(RunRequest request) throws IOException {
        Map<String, String> parameters = parameters(request);
        parameters.put(CLASS_SOURCE_PARAMETER, "false"); // file containers then carry their FileSource
        Launcher launcher = LauncherFactory.create();
        List<String> lines = new ArrayList<>();
        Optional<Set<DiscoverySelector>> selectors = selectors(request, parameters, launcher);
        if (selectors.isPresent()) {
            TestPlan plan = launcher.discover(discovery(selectors.get(), parameters));
            for (TestIdentifier engine : plan.getRoots()) {
                for (TestIdentifier file : plan.getChildren(engine)) {
                    String id = TestPatterns.fileId(file).orElse(file.getDisplayName());
                    if (file.isTest()) {
                        lines.add(location(request, file) + "\t" + id);
                    }
                    for (TestIdentifier test : plan.getDescendants(file)) {
                        if (test.isTest()) {
                            lines.add(location(request, test) + "\t" + test.getDisplayName());
                        }
                    }
                }
            }
        }
        Files.createDirectories(request.listFile().toAbsolutePath().getParent());
        try (Writer writer = Files.newBufferedWriter(request.listFile(), StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return OK;
    }

    private static String location(RunRequest request, TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        if (source.isPresent() && source.get() instanceof FileSource file) {
            Path path = file.getFile().toPath().toAbsolutePath().normalize();
            Path project = request.projectDir().toAbsolutePath().normalize();
            String shown = path.startsWith(project) ? project.relativize(path).toString() : path.toString();
            return shown + ":" + file.getPosition().map(FilePosition::getLine).orElse(1);
        }
        return "?";
    }

    /**
     * The roots of the project, narrowed by {@code -Dtest}; empty when nothing is to run (the patterns only name
     * Java tests, or no root exists).
     */
    private static Optional<Set<DiscoverySelector>> selectors(RunRequest request, Map<String, String> parameters,
                                                              Launcher launcher) {
        ProviumConfig config = ProviumConfig.load(request.projectDir(), key -> Optional.ofNullable(parameters.get(key)));
        Set<DiscoverySelector> roots = new LinkedHashSet<>();
        for (Path root : config.roots()) {
            if (Files.isDirectory(root)) {
                roots.add(DiscoverySelectors.selectDirectory(root.toFile()));
            }
        }
        TestPatterns patterns = TestPatterns.parse(request.testPatterns());
        if (roots.isEmpty() || (patterns.given() && !patterns.hasLuaPatterns())) {
            return Optional.empty();
        }
        if (!patterns.hasLuaPatterns()) {
            return Optional.of(roots);
        }
        Set<DiscoverySelector> chosen = patterns.select(launcher.discover(discovery(roots, parameters)));
        return chosen.isEmpty() ? Optional.empty() : Optional.of(chosen);
    }

    private static LauncherDiscoveryRequest discovery(Set<DiscoverySelector> selectors, Map<String, String> parameters) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(new ArrayList<>(selectors))
                .filters(EngineFilter.includeEngines(ENGINE_ID))
                .configurationParameters(parameters)
                .build();
    }

    private static Map<String, String> parameters(RunRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>(request.parameters());
        parameters.put(PROJECT_DIR_PARAMETER, request.projectDir().toString());
        return parameters;
    }
}
