package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.luaj.vm2.LuaError;
import org.opentest4j.AssertionFailedError;

/**
 * Maps what escapes Lua code to what JUnit reports: {@code assert*} failures become opentest4j
 * {@link AssertionFailedError}s (a {@code <failure>} in Surefire), other Lua errors {@link LuaScriptException}s
 * (an {@code <error>}). Both carry the clean Lua message plus the traceback text, and the traceback as their
 * stack trace. A Java exception raised by a binding stays attached as the cause with its own message and
 * stack (e.g. a VM's console tail).
 */
@API(status = INTERNAL)
public final class LuaFailures {

    private LuaFailures() {
    }

    /** The reason given to {@code todo()}, when {@code failure} is the signal {@code todo()} raises. */
    public static Optional<String> todoReason(Throwable failure) {
        return failure instanceof TodoSignal todo ? Optional.of(todo.reason()) : Optional.empty();
    }

    /** The message of a timeout that stopped Lua code, when {@code failure} is the signal raised for it. */
    public static Optional<String> timeoutMessage(Throwable failure) {
        return failure instanceof TimeoutSignal timeout ? Optional.of(timeout.getMessage()) : Optional.empty();
    }

    /** The throwable to report for an error that ended Lua code; non-Lua throwables are returned as they are. */
    public static Throwable toFailure(Throwable failure) {
        if (!(failure instanceof LuaError error)) {
            return failure;
        }
        String message = LuaErrorText.message(error);
        Optional<String> traceback = LuaErrorText.traceback(error);
        StackTraceElement[] frames = traceback.map(LuaTraceback::frames).orElse(new StackTraceElement[0]);
        if (frames.length == 0) {
            frames = LuaTraceback.fromMessagePosition(message);
        }
        String fullMessage = traceback.map(t -> message + "\n" + t).orElse(message);
        if (error instanceof LuaAssertionError assertion) {
            AssertionFailedError reported = assertion.hasValues()
                    ? new AssertionFailedError(fullMessage, assertion.expected(), assertion.actual())
                    : new AssertionFailedError(fullMessage);
            if (frames.length > 0) {
                reported.setStackTrace(frames);
            }
            return reported;
        }
        Throwable cause = error.getCause() instanceof LuaError ? null : error.getCause();
        return new LuaScriptException(fullMessage, cause, frames);
    }

    /** The innermost Lua position of a failure made by {@link #toFailure}, if it has one. */
    public static Optional<StackTraceElement> luaLocation(Throwable failure) {
        return luaFrames(failure).stream().findFirst();
    }

    /** The Lua frames of a failure made by {@link #toFailure}, innermost first. */
    public static List<StackTraceElement> luaFrames(Throwable failure) {
        return Arrays.stream(failure.getStackTrace())
                .filter(frame -> LuaTraceback.DECLARING_CLASS.equals(frame.getClassName()))
                .toList();
    }

    /** The first line of a failure's message, for one-line summaries. */
    public static String firstLine(Throwable failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
