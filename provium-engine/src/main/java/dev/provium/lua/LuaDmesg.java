package dev.provium.lua;

import dev.provium.vm.GuestChannel;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code vm:dmesg(pattern?)}: the kernel log read by the agent; with a pattern (a Java regular expression), only the lines it finds. */
final class LuaDmesg {

    private LuaDmesg() {
    }

    static Varargs read(GuestChannel guest, Varargs args) {
        String pattern = Args.optString("dmesg", args, 2);
        if (args.narg() > 2) {
            throw Args.bad("dmesg", 3, "dmesg takes at most a pattern, got " + (args.narg() - 1) + " arguments");
        }
        Pattern compiled = null;
        if (pattern != null) {
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new LuaError("dmesg: invalid pattern '" + pattern + "': " + e.getDescription());
            }
        }
        byte[] log = guest.dmesg();
        return compiled == null ? LuaString.valueOf(log) : LuaValue.valueOf(matching(log, compiled));
    }

    private static String matching(byte[] log, Pattern pattern) {
        StringBuilder lines = new StringBuilder();
        for (String line : new String(log, StandardCharsets.UTF_8).split("\n")) {
            if (pattern.matcher(line).find()) {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }
}
