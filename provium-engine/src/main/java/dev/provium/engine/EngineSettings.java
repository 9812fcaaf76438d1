package dev.provium.engine;

import dev.provium.config.Constants;
import dev.provium.config.ProviumConfig;
import dev.provium.vm.HostCapacity;

import java.nio.file.Path;
import java.util.List;

import org.junit.platform.engine.ConfigurationParameters;

/**
 * What one engine run needs of the configuration, derived once from {@link ProviumConfig} (provium.toml with
 * the JUnit configuration parameters {@code provium.<key>} laid over it; keys in {@link Constants}).
 */
final class EngineSettings {

    private final ProviumConfig project;
    private final TestFileFilter filter;
    private final int parallelism;
    private final String parallelismOrigin;

    private EngineSettings(ConfigurationParameters parameters) {
        Path start = Path.of(parameters.get(Constants.parameter(Constants.PROJECT_DIR)).orElse(System.getProperty("user.dir")));
        this.project = ProviumConfig.load(start, parameters::get);
        this.filter = TestFileFilter.of(project);
        if (project.parallelism().isPresent()) {
            this.parallelism = project.parallelism().getAsInt();
            this.parallelismOrigin = "as configured";
        } else {
            HostCapacity host = HostCapacity.probe();
            this.parallelism = host.suggestedParallelism();
            this.parallelismOrigin = "chosen for " + host + "; set parallelism in [provium] or -D"
                    + Constants.parameter(Constants.PARALLELISM) + "=N";
        }
    }

    static EngineSettings from(ConfigurationParameters parameters) {
        return new EngineSettings(parameters);
    }

    /** provium.toml with the parameters laid over it: profiles, VM and engine settings. */
    ProviumConfig project() {
        return project;
    }

    Path projectDir() {
        return project.projectDir();
    }

    List<Path> roots() {
        return project.roots();
    }

    TestFileFilter filter() {
        return filter;
    }

    /** How many files run at once. */
    int parallelism() {
        return parallelism;
    }

    /** The line printed at the start of a run. */
    String parallelismNotice() {
        return "provium: running up to " + parallelism + (parallelism == 1 ? " file" : " files") + " at once ("
                + parallelismOrigin + ")";
    }

    boolean classSource() {
        return project.classSource();
    }
}
