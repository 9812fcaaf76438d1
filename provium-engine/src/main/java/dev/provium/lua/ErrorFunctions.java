package dev.provium.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code error}, {@code pcall} and {@code xpcall} with Lua 5.2's observable behaviour on top of LuaJ: messages
 * read {@code chunk:line: message} (LuaJ would return {@code chunk:line message} plus a traceback), {@code error}
 * honours its level argument, and the signal {@code todo()} raises passes through protected calls.
 */
final class ErrorFunctions {

    private ErrorFunctions() {
    }

    static void install(Globals globals, CallSite callSite) {
        globals.set("error", LuaFunctions.named("error", args -> {
            throw raise(args, callSite);
        }));
        globals.set("pcall", LuaFunctions.named("pcall", ErrorFunctions::pcall));
        globals.set("xpcall", LuaFunctions.named("xpcall", args -> xpcall(globals, args)));
    }

    private static LuaError raise(Varargs args, CallSite callSite) {
        LuaValue message = args.arg1();
        int level = args.optint(2, 1);
        if (message.type() == LuaValue.TSTRING && level > 0) {
            return new LuaError(LuaValue.valueOf(callSite.prefix(level) + message.tojstring()));
        }
        return new LuaError(message);
    }

    private static Varargs pcall(Varargs args) {
        Args.requireCount("pcall", args, 1);
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, args.arg1().invoke(args.subargs(2)));
        } catch (ControlSignal signal) {
            throw signal;
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaErrorText.value(e));
        } catch (RuntimeException e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf(LuaErrorText.describeJava(e)));
        }
    }

    /**
     * LuaJ calls a thread's error function where the error happens (so {@code debug.traceback} works in the
     * handler) and passes it the message text; the handler's result is kept here as it was returned.
     */
    private static Varargs xpcall(Globals globals, Varargs args) {
        Args.requireCount("xpcall", args, 2);
        LuaValue handler = args.arg(2);
        LuaValue[] handled = new LuaValue[1];
        LuaValue errorFunction = LuaFunctions.named("xpcall handler", handlerArgs -> {
            handled[0] = handler.call(LuaValue.valueOf(LuaErrorText.clean(handlerArgs.arg1().tojstring(), null)));
            return handled[0];
        });
        LuaThread thread = globals.running;
        LuaValue previous = thread.errorfunc;
        thread.errorfunc = errorFunction;
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, args.arg1().invoke(args.subargs(3)));
        } catch (ControlSignal signal) {
            throw signal;
        } catch (LuaError e) {
            thread.errorfunc = previous;
            LuaValue result = handled[0] != null ? handled[0] : handler.call(LuaErrorText.value(e));
            return LuaValue.varargsOf(LuaValue.FALSE, result);
        } finally {
            thread.errorfunc = previous;
        }
    }
}
