package dev.provium.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Argument checks that fail in Lua's own style: {@code bad argument #1 to 'name' (string expected, got nil)}. */
final class Args {

    private Args() {
    }

    static LuaError bad(String function, int index, String problem) {
        return new LuaError("bad argument #" + index + " to '" + function + "' (" + problem + ")");
    }

    static LuaError bad(String function, int index, String expected, LuaValue got) {
        return bad(function, index, expected + " expected, got " + typeName(got));
    }

    static void requireCount(String function, Varargs args, int count) {
        if (args.narg() < count) {
            throw bad(function, args.narg() + 1, "value expected");
        }
    }

    static LuaString string(String function, Varargs args, int index) {
        LuaValue value = args.arg(index);
        if (!value.isstring() || value.isnumber()) {
            throw bad(function, index, "string", value);
        }
        return value.checkstring();
    }

    static String optString(String function, Varargs args, int index) {
        LuaValue value = args.arg(index);
        return value.isnil() ? null : string(function, args, index).tojstring();
    }

    static LuaFunction function(String function, Varargs args, int index) {
        LuaValue value = args.arg(index);
        if (!value.isfunction()) {
            throw bad(function, index, "function", value);
        }
        return value.checkfunction();
    }

    /** Lua's type name, with string wrappers named as such. */
    static String typeName(LuaValue value) {
        return StringWrapper.isWrapper(value) ? "string wrapper" : value.typename();
    }
}
