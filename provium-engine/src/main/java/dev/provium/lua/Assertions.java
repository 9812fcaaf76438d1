package dev.provium.lua;

import java.util.Optional;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code assert}, {@code assert_eq} and {@code assert_contains}. Each failure names the caller's
 * {@code chunk:line} and is a {@link LuaAssertionError}, so the test is reported as failed rather than errored.
 */
final class Assertions {

    private final CallSite callSite;

    private Assertions(CallSite callSite) {
        this.callSite = callSite;
    }

    static void install(Globals globals, CallSite callSite) {
        Assertions assertions = new Assertions(callSite);
        globals.set("assert", LuaFunctions.named("assert", assertions::assertTrue));
        globals.set("assert_eq", LuaFunctions.named("assert_eq", assertions::assertEq));
        globals.set("assert_contains", LuaFunctions.named("assert_contains", assertions::assertContains));
    }

    /** Like Lua's assert: returns all its arguments when the first is truthy. */
    private Varargs assertTrue(Varargs args) {
        Args.requireCount("assert", args, 1);
        if (args.arg1().toboolean()) {
            return args;
        }
        String message = args.arg(2).isnil() ? "assertion failed!" : text(args.arg(2));
        throw new LuaAssertionError(callSite.prefix(1) + message);
    }

    private Varargs assertEq(Varargs args) {
        Args.requireCount("assert_eq", args, 2);
        LuaValue expected = args.arg(1);
        LuaValue actual = args.arg(2);
        Optional<String> difference = DeepEquality.firstDifference(expected, actual);
        if (difference.isEmpty()) {
            return LuaValue.NONE;
        }
        String expectedText = ValueFormat.render(expected);
        String actualText = ValueFormat.render(actual);
        StringBuilder message = headline("assert_eq", args.arg(3))
                .append("\n  expected: ").append(expectedText)
                .append("\n  actual:   ").append(actualText);
        if (!difference.get().isEmpty()) {
            message.append("\n  ").append(difference.get());
        }
        throw new LuaAssertionError(message.toString(), expectedText, actualText);
    }

    private Varargs assertContains(Varargs args) {
        Args.requireCount("assert_contains", args, 2);
        LuaString haystack = StringWrapper.stringOf(args.arg(1))
                .orElseThrow(() -> Args.bad("assert_contains", 1, "string or string wrapper", args.arg(1)));
        LuaString needle = StringWrapper.stringOf(args.arg(2))
                .orElseThrow(() -> Args.bad("assert_contains", 2, "string", args.arg(2)));
        if (haystack.indexOf(needle, 0) >= 0) {
            return LuaValue.NONE;
        }
        String message = headline("assert_contains", args.arg(3))
                .append("\n  haystack: ").append(ValueFormat.quote(haystack, ValueFormat.MAX_STRING_BYTES))
                .append("\n  needle:   ").append(ValueFormat.quote(needle, ValueFormat.MAX_STRING_BYTES))
                .toString();
        throw new LuaAssertionError(message);
    }

    /** {@code chunk:line: <function> failed: <user message>}; called directly from the assert function. */
    private StringBuilder headline(String function, LuaValue userMessage) {
        // level 1 is the Lua code that called the assert function, which is still the caller here
        StringBuilder headline = new StringBuilder(callSite.prefix(1)).append(function).append(" failed");
        if (!userMessage.isnil()) {
            headline.append(": ").append(text(userMessage));
        }
        return headline;
    }

    private static String text(LuaValue value) {
        return value.isstring() ? value.tojstring() : ValueFormat.render(value);
    }
}
