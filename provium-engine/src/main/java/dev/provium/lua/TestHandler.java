package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import org.luaj.vm2.LuaFunction;

/** Receives every {@code test(name, fn)} call a script makes; the engine maps them to JUnit tests. */
@FunctionalInterface
@API(status = INTERNAL)
public interface TestHandler {

    /**
     * @param name the name given to {@code test()}
     * @param line the line of the {@code test(} call in the running script, or 0 when unknown
     * @param body the function to run as the test
     */
    void test(String name, int line, LuaFunction body);
}
