package dev.provium.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code test(name, fn)} hands each sub-test to the engine; {@code todo(reason?)} skips what follows it. */
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
            handler.test(name.tojstring(), callSite.line(1), Args.function("test", args, 2));
            return LuaValue.NONE;
        }));
        globals.set("todo", LuaFunctions.named("todo", TestFunctions::todo));
    }

    private static Varargs todo(Varargs args) {
        LuaValue reason = args.arg1();
        if (!reason.isnil() && !reason.isstring()) {
            throw Args.bad("todo", 1, "string", reason);
        }
        throw new TodoSignal(reason.isnil() ? DEFAULT_TODO_REASON : reason.tojstring());
    }
}
