package dev.provium.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/** Raised by {@code assert}, {@code assert_eq} and {@code assert_contains}; reported as a test failure. */
final class LuaAssertionError extends LuaError {

    private final String expected;
    private final String actual;

    LuaAssertionError(String message) {
        this(message, null, null);
    }

    /** @param expected,actual renderings of the compared values, shown by IDEs as a diff (may be null) */
    LuaAssertionError(String message, String expected, String actual) {
        super(LuaValue.valueOf(message));
        this.expected = expected;
        this.actual = actual;
    }

    boolean hasValues() {
        return expected != null && actual != null;
    }

    String expected() {
        return expected;
    }

    String actual() {
        return actual;
    }
}
