package dev.provium.lua;

import java.time.Duration;
import java.util.Optional;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code test(name, [options,] fn)} hands each test (or, inside a running test, each sub-test) to the engine and
 * returns whether it passed; {@code todo(reason?)} skips what follows it; {@code provium.timeout(seconds)} sets
 * the time limit of the file's tests that follow.
 */
final class TestFunctions {

    static final String DEFAULT_TODO_REASON = "todo";

    private TestFunctions() {
    }

    static void install(Globals globals, CallSite callSite, TestHandler handler) {
        globals.set("test", LuaFunctions.named("test", args -> {
            LuaString name = Args.string("test", args, 1);
            if (name.tojstring().isBlank()) {
                throw Args.bad("test", 1, "test name must not be empty");
            }
            TestOptions options = TestOptions.NONE;
            LuaFunction body;
            if (args.arg(2).istable()) {
                options = options((LuaTable) args.arg(2));
                body = Args.function("test", args, 3);
            } else {
                body = Args.function("test", args, 2);
            }
            return LuaValue.valueOf(handler.test(name.tojstring(), callSite.line(1), options, body));
        }));
        globals.set("todo", LuaFunctions.named("todo", TestFunctions::todo));
    }

    /** Adds {@code provium.timeout(seconds)} to the provium table. */
    static void installTimeout(LuaTable provium, TestHandler handler) {
        provium.set("timeout", LuaFunctions.named("timeout", args -> {
            handler.fileTimeout(seconds("provium.timeout", args.arg1(), 1));
            return LuaValue.NONE;
        }));
    }

    private static TestOptions options(LuaTable table) {
        Optional<Duration> timeout = Optional.empty();
        for (LuaValue key = table.next(LuaValue.NIL).arg1(); !key.isnil(); key = table.next(key).arg1()) {
            if (!key.isstring() || !key.tojstring().equals("timeout")) {
                throw Args.bad("test", 2, "unknown option " + key.tojstring() + " (known: timeout)");
            }
            timeout = Optional.of(seconds("test", table.get(key), 2));
        }
        return new TestOptions(timeout);
    }

    private static Duration seconds(String function, LuaValue value, int argument) {
        if (!value.isnumber() || !(value.todouble() > 0)) {
            throw Args.bad(function, argument, "timeout must be a positive number of seconds, got " + value.tojstring());
        }
        return Duration.ofNanos(Math.round(value.todouble() * 1e9));
    }

    private static Varargs todo(Varargs args) {
        LuaValue reason = args.arg1();
        if (!reason.isnil() && !reason.isstring()) {
            throw Args.bad("todo", 1, "string", reason);
        }
        throw new TodoSignal(reason.isnil() ? DEFAULT_TODO_REASON : reason.tojstring());
    }
}
