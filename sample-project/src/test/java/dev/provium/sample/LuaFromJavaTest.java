package dev.provium.sample;

import dev.provium.jupiter.LuaTests;
import dev.provium.jupiter.Provium;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Lua files run as JUnit Jupiter dynamic tests, next to Java tests in the same run (one VM service, one fixture
 * cache): each file a container, each test() a test that an IDE opens at its line.
 */
@Provium
class LuaFromJavaTest {

    @TestFactory
    Stream<DynamicNode> luaFiles() {
        return LuaTests.in("src/test/lua-jupiter");
    }
}
