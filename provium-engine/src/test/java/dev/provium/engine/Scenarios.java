package dev.provium.engine;

import dev.provium.config.Constants;

import dev.provium.lua.LuaBindings;

import java.nio.file.Path;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The Lua inputs under src/test/resources/lua/<scenario>, each run as its own project and test root. */
final class Scenarios {

    static final Path LUA = Path.of("src/test/resources/lua").toAbsolutePath();
    static final UniqueId ENGINE = UniqueId.forEngine(ProviumTestEngine.ENGINE_ID);

    private Scenarios() {
    }

    static Path dir(String scenario) {
        return LUA.resolve(scenario);
    }

    static Path file(String scenario, String relative) {
        return dir(scenario).resolve(relative);
    }

    /** The engine with the scenario as project directory and only test root; no console output. */
    static EngineTestKit.Builder engine(String scenario) {
        return engine(scenario, new RecordingBindings());
    }

    static EngineTestKit.Builder engine(String scenario, LuaBindings bindings) {
        return EngineTestKit.engine(new ProviumTestEngine(bindings))
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), dir(scenario).toString())
                .configurationParameter(Constants.parameter(Constants.ROOTS), ".")
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "false")
                .configurationParameter(Constants.parameter(Constants.PARALLELISM), "1");
    }

    static UniqueId fileId(String id) {
        return ENGINE.append("file", id);
    }

    static UniqueId testId(String file, String test) {
        return fileId(file).append("test", test);
    }
}
