package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.Optional;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A string with helper functions, as {@code vm:exec} returns for stdout and stderr: a table with
 * {@code .value} (the raw bytes), {@code .contains(s)}, {@code .starts_with(s)} and {@code .trim()} called with a
 * dot, while {@code tostring(w)}, {@code w .. s}, {@code s .. w} and {@code #w} treat it as its raw string.
 * The helpers also tolerate colon calls ({@code w:contains(s)}).
 */
@API(status = INTERNAL)
public final class StringWrapper {

    private static final LuaValue VALUE = LuaValue.valueOf("value");
    private static final LuaTable METATABLE = metatable();

    private StringWrapper() {
    }

    /** Wraps raw bytes (e.g. a command's stdout). */
    public static LuaTable wrap(byte[] bytes) {
        return wrap(LuaString.valueOf(bytes));
    }

    /** Wraps a Lua string. */
    public static LuaTable wrap(LuaString value) {
        LuaTable wrapper = new LuaTable();
        wrapper.rawset(VALUE, value);
        wrapper.rawset("contains", LuaFunctions.named("contains",
                args -> LuaValue.valueOf(value.indexOf(needle("contains", wrapper, args), 0) >= 0)));
        wrapper.rawset("starts_with", LuaFunctions.named("starts_with",
                args -> LuaValue.valueOf(startsWith(value, needle("starts_with", wrapper, args)))));
        wrapper.rawset("trim", LuaFunctions.named("trim", args -> trim(value)));
        wrapper.setmetatable(METATABLE);
        return wrapper;
    }

    /** True for values made by {@link #wrap}. */
    public static boolean isWrapper(LuaValue value) {
        return value.istable() && value.getmetatable() == METATABLE;
    }

    /** The string of a Lua string or of a string wrapper; empty for anything else (numbers included). */
    public static Optional<LuaString> stringOf(LuaValue value) {
        if (isWrapper(value)) {
            return Optional.of(value.rawget(VALUE).checkstring());
        }
        if (value.type() == LuaValue.TSTRING) {
            return Optional.of(value.checkstring());
        }
        return Optional.empty();
    }

    private static LuaString needle(String function, LuaTable self, Varargs args) {
        int index = args.arg1() == self ? 2 : 1;
        return stringOf(args.arg(index))
                .orElseThrow(() -> Args.bad(function, index, "string", args.arg(index)));
    }

    private static boolean startsWith(LuaString value, LuaString prefix) {
        if (prefix.length() > value.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (value.luaByte(i) != prefix.luaByte(i)) {
                return false;
            }
        }
        return true;
    }

    private static LuaString trim(LuaString value) {
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.luaByte(start))) {
            start++;
        }
        while (end > start && isSpace(value.luaByte(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static LuaTable metatable() {
        LuaTable meta = new LuaTable();
        meta.rawset("__tostring", LuaFunctions.named("tostring", args -> args.arg1().rawget(VALUE)));
        meta.rawset("__len", LuaFunctions.named("len", args -> LuaValue.valueOf(args.arg1().rawget(VALUE).length())));
        meta.rawset("__concat", LuaFunctions.named("concat", args -> concat(args.arg(1), args.arg(2))));
        meta.rawset("__metatable", LuaValue.valueOf("string wrapper"));
        return meta;
    }

    private static LuaValue concat(LuaValue left, LuaValue right) {
        return concatPart(left).concat(concatPart(right));
    }

    private static LuaValue concatPart(LuaValue value) {
        if (isWrapper(value)) {
            return value.rawget(VALUE);
        }
        if (value.isstring()) {
            return value;
        }
        throw new LuaError("attempt to concatenate a " + value.typename() + " value with a string wrapper");
    }
}
