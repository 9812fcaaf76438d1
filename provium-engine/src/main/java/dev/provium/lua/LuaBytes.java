package dev.provium.lua;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Lua strings as the byte arrays guest operations take. */
final class LuaBytes {

    private LuaBytes() {
    }

    static byte[] of(LuaString value) {
        byte[] bytes = new byte[value.rawlen()];
        value.copyInto(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Argument {@code index}: a string or a string wrapper, as bytes. */
    static byte[] argument(String function, Varargs args, int index) {
        return of(StringWrapper.stringOf(args.arg(index))
                .orElseThrow(() -> Args.bad(function, index, "string", args.arg(index))));
    }

    /** A string or string wrapper found elsewhere (a table field); {@code where} names it in the error. */
    static byte[] field(String function, int index, String where, LuaValue value) {
        return of(StringWrapper.stringOf(value)
                .orElseThrow(() -> Args.bad(function, index, where + " must be a string, got " + Args.typeName(value))));
    }
}
