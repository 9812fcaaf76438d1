package dev.provium.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lets a timeout stop Lua code that never calls back into Java ({@code while true do end}): a debug count hook,
 * every {@value #INSTRUCTIONS} instructions, raises the file's pending interruption. LuaJ keeps hooks per
 * coroutine, so coroutines made by {@code coroutine.create} and {@code coroutine.wrap} get the hook too.
 */
final class InterruptHook {

    static final int INSTRUCTIONS = 1000;

    private InterruptHook() {
    }

    static void install(Globals globals, FileRunContext context) {
        LuaValue sethook = globals.get("debug").get("sethook");
        LuaValue hook = LuaFunctions.named("interrupt check", args -> {
            context.checkInterrupted();
            return LuaValue.NONE;
        });
        Runnable hookThisThread = () -> sethook.call(hook, LuaValue.valueOf(""), LuaValue.valueOf(INSTRUCTIONS));
        hookThisThread.run();
        LuaTable coroutine = (LuaTable) globals.get("coroutine");
        for (String name : new String[] {"create", "wrap"}) {
            LuaValue original = coroutine.get(name);
            coroutine.set(name, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    LuaValue body = args.checkfunction(1);
                    return original.invoke(new VarArgFunction() {
                        @Override
                        public Varargs invoke(Varargs inner) {
                            hookThisThread.run();
                            return body.invoke(inner);
                        }
                    });
                }
            });
        }
    }
}
