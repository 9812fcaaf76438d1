package dev.provium.lua;

import java.util.function.Function;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** Builds Lua functions from Java lambdas, named so tracebacks and {@code tostring()} show the name. */
final class LuaFunctions {

    private LuaFunctions() {
    }

    static VarArgFunction named(String name, Function<Varargs, Varargs> body) {
        return new Named(name, body);
    }

    private static final class Named extends VarArgFunction {
        private final Function<Varargs, Varargs> body;

        Named(String name, Function<Varargs, Varargs> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public Varargs invoke(Varargs args) {
            return body.apply(args);
        }
    }
}
