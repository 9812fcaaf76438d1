package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/**
 * A Lua error that is not an assertion (a runtime error, {@code error()}, a failing binding), reported as a test
 * error. Its stack trace is the Lua traceback; a Java exception raised by a binding is kept as the cause.
 */
@API(status = INTERNAL)
public final class LuaScriptException extends ProviumException {

    LuaScriptException(String message, Throwable cause, StackTraceElement[] luaFrames) {
        super(message, cause);
        if (luaFrames.length > 0) {
            setStackTrace(luaFrames);
        }
    }
}
