package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.time.Duration;

import org.luaj.vm2.LuaFunction;

/** Receives every {@code test(name, [options,] fn)} call a script makes; the engine maps them to JUnit tests. */
@FunctionalInterface
@API(status = INTERNAL)
public interface TestHandler {

    /**
     * Runs a test, or registers a sub-test when called inside a running test.
     *
     * @param name    the name given to {@code test()}
     * @param line    the line of the {@code test(} call in the running script, or 0 when unknown
     * @param options what the optional table argument set
     * @param body    the function to run as the test
     * @return false when the test failed (also through a failed sub-test), else true
     */
    boolean test(String name, int line, TestOptions options, LuaFunction body);

    /** {@code provium.timeout(seconds)}: the time limit of every test of the file that starts after the call. */
    default void fileTimeout(Duration timeout) {
        throw new UnsupportedOperationException("provium.timeout is not available here");
    }
}
