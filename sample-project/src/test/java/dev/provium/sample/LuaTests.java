package dev.provium.sample;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectDirectories;
import org.junit.platform.suite.api.Suite;

/**
 * The Surefire route, for projects that want Surefire to run their Lua tests: Surefire only discovers classes, so this
 * suite hands the Lua files under src/test/lua to the Provium engine (needs provium-engine and junit-platform-suite as
 * test dependencies). This project runs its Lua tests with provium:test instead; {@code mvn verify -Psurefire-suite}
 * takes this route.
 */
@Suite
@IncludeEngines("provium")
@SelectDirectories("src/test/lua")
class LuaTests {
}
