package dev.provium.lua;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns LuaJ's textual traceback into stack frames {@code lua.<function>(<script>:<line>)}, so CI tools and
 * IDEs show the Lua file and line. Frames of Java functions ({@code [Java]}) carry no position and are dropped.
 */
final class LuaTraceback {

    static final String DECLARING_CLASS = "lua";

    private static final Pattern FRAME = Pattern.compile("^\\t(.+?):(\\d+): in (.+)$", Pattern.MULTILINE);
    private static final Pattern NAMED = Pattern.compile("^(?:function|method|field|local|upvalue|global) '(.+)'$");
    private static final Pattern POSITION = Pattern.compile("^@?(\\S+?):(\\d+):? ");

    private LuaTraceback() {
    }

    static StackTraceElement[] frames(String traceback) {
        List<StackTraceElement> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(traceback);
        while (m.find()) {
            frames.add(new StackTraceElement(DECLARING_CLASS, function(m.group(3)), m.group(1),
                    Integer.parseInt(m.group(2))));
        }
        return frames.toArray(new StackTraceElement[0]);
    }

    /** A single frame for a message that starts with {@code chunk:line:} (e.g. a syntax error), if it does. */
    static StackTraceElement[] fromMessagePosition(String message) {
        Matcher m = POSITION.matcher(message);
        if (!m.lookingAt()) {
            return new StackTraceElement[0];
        }
        return new StackTraceElement[] {
            new StackTraceElement(DECLARING_CLASS, "main chunk", m.group(1), Integer.parseInt(m.group(2)))
        };
    }

    private static String function(String description) {
        if (description.equals("main chunk")) {
            return "main chunk";
        }
        Matcher named = NAMED.matcher(description);
        if (named.matches()) {
            return named.group(1);
        }
        return "anonymous function";
    }
}
