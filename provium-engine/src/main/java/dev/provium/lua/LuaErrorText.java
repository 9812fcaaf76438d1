package dev.provium.lua;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * Reads LuaJ 3.0.1 errors. LuaJ formats positions as {@code @chunk:line message} and, with the debug library,
 * appends the traceback to the message itself; this class separates the two and restores Lua's
 * {@code chunk:line: message} form.
 */
final class LuaErrorText {

    private static final String TRACEBACK = "\nstack traceback:";
    private static final Pattern LEADING_POSITION = Pattern.compile("@?(\\S+?:\\d+):? ");

    private LuaErrorText() {
    }

    /** The error value as {@code pcall} should return it: the raised object, or LuaJ's message made clean. */
    static LuaValue value(LuaError error) {
        LuaValue object = error.getMessageObject();
        if (object == null) {
            return LuaValue.NIL;
        }
        if (isLuajMessage(error, object)) {
            return LuaValue.valueOf(message(error));
        }
        return object;
    }

    /** The message for humans, without traceback. */
    static String message(LuaError error) {
        LuaValue object = error.getMessageObject();
        if (object != null && !isLuajMessage(error, object)) {
            if (object.isstring()) {
                return object.tojstring();
            }
            return positionOf(clean(error.getMessage(), null)) + "error object: " + describeObject(object);
        }
        return clean(error.getMessage(), error.getCause());
    }

    /** LuaJ's textual traceback ({@code stack traceback:\n\t...}), if the debug library produced one. */
    static Optional<String> traceback(LuaError error) {
        String raw = error.getMessage();
        int start = raw == null ? -1 : raw.indexOf(TRACEBACK);
        return start < 0 ? Optional.empty() : Optional.of(raw.substring(start + 1));
    }

    private static boolean isLuajMessage(LuaError error, LuaValue object) {
        return object.isstring() && !object.isnumber() && object.tojstring().equals(error.getMessage());
    }

    private static String describeObject(LuaValue object) {
        LuaValue tostring = object.metatag(LuaValue.TOSTRING);
        if (!tostring.isnil()) {
            try {
                return tostring.call(object).tojstring();
            } catch (LuaError broken) {
                // fall back to the raw contents
            }
        }
        return ValueFormat.render(object);
    }

    private static String positionOf(String message) {
        Matcher m = LEADING_POSITION.matcher(message);
        return m.lookingAt() ? m.group(1) + ": " : "";
    }

    /**
     * Drops the traceback, names Java causes plainly and writes leading positions once each, as
     * {@code chunk:line: }.
     */
    static String clean(String raw, Throwable cause) {
        String text = raw == null ? "nil" : raw;
        int traceback = text.indexOf(TRACEBACK);
        if (traceback >= 0) {
            text = text.substring(0, traceback);
        }
        if (cause != null && !(cause instanceof LuaError)) {
            String luajText = "vm error: " + cause;
            int at = text.indexOf(luajText);
            if (at >= 0) {
                text = text.substring(0, at) + describeJava(cause) + text.substring(at + luajText.length());
            }
        }
        StringBuilder out = new StringBuilder();
        String rest = text;
        String previous = null;
        Matcher m = LEADING_POSITION.matcher(rest);
        while (m.lookingAt()) {
            // LuaJ prefixes its own position to messages that already start with it
            if (!m.group(1).equals(previous)) {
                out.append(m.group(1)).append(": ");
            }
            previous = m.group(1);
            rest = rest.substring(m.end());
            m = LEADING_POSITION.matcher(rest);
        }
        return out.append(rest).toString();
    }

    /** Provium's own exceptions read as their message; anything else keeps its class name. */
    static String describeJava(Throwable cause) {
        boolean ours = cause.getClass().getName().startsWith("dev.provium.");
        return ours && cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
