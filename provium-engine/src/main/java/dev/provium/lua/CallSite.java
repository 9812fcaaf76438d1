package dev.provium.lua;

import java.util.Optional;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/**
 * Finds the Lua source position of a caller, so errors raised from Java read like Lua's own:
 * {@code boot.lua:12: message}. Holds LuaJ's {@code debug.getinfo} from before the script could replace it.
 */
final class CallSite {

    private static final LuaValue WHAT = LuaValue.valueOf("Sl");

    private final LuaValue getinfo;

    CallSite(Globals globals) {
        this.getinfo = globals.get("debug").get("getinfo");
    }

    /**
     * @param level 1 = the Lua function that called the Java function now running, 2 = its caller, ...
     * @return {@code chunk:line} of that function's current line, if it is Lua code
     */
    Optional<String> where(int level) {
        LuaValue info = getinfo.call(LuaValue.valueOf(level), WHAT);
        if (!info.istable()) {
            return Optional.empty();
        }
        int line = info.get("currentline").optint(-1);
        if (line <= 0) {
            return Optional.empty();
        }
        return Optional.of(info.get("short_src").tojstring() + ":" + line);
    }

    /** Line of the calling Lua function, or 0 when unknown. */
    int line(int level) {
        LuaValue info = getinfo.call(LuaValue.valueOf(level), WHAT);
        return info.istable() ? Math.max(0, info.get("currentline").optint(0)) : 0;
    }

    /** {@code "chunk:line: "} for the given level, or an empty string when there is no Lua position. */
    String prefix(int level) {
        return where(level).map(w -> w + ": ").orElse("");
    }
}
