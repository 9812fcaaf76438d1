package dev.provium.engine;

import dev.provium.config.Constants;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;

import dev.provium.lua.VmBindings;

import java.nio.file.Path;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Run in a child JVM by {@link FixtureLuaTest}: runs the Lua files of a project with a given cache
 * directory and prints the fixture notices and the outcome, one per line.
 */
public final class FixtureRunMain {
    private FixtureRunMain() {
    }

    /** @param args project directory, cache directory */
    public static void main(String[] args) {
        System.out.println("starting");
        EngineExecutionResults results = EngineTestKit.engine(new ProviumTestEngine(new VmBindings(line -> System.out.println("notice: " + line))))
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), args[0])
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .configurationParameter("provium.cache_dir", args[1])
                .selectors(selectDirectory(Path.of(args[0]).toFile()))
                .execute();
        System.out.println("succeeded " + results.testEvents().succeeded().count() + " failed " + results.testEvents().failed().count());
    }
}
