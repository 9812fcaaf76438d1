package dev.provium.sample;

import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectDirectories;
import org.junit.platform.suite.api.Suite;

/** Surefire only discovers classes: this suite hands the Lua files under src/test/lua to the Provium engine. */
@Suite
@IncludeEngines("provium")
@SelectDirectories("src/test/lua")
class LuaTests {
}
