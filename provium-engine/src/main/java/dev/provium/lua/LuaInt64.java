package dev.provium.lua;

import org.luaj.vm2.LuaValue;

/**
 * 64-bit integers across the Lua boundary, as {@code provium.pack} treats them: Lua numbers are exact only to
 * 2^53, so an argument may also be a {@code "0x…"} string of its raw bits (up to 16 hex digits), and a result
 * beyond ±2^53 comes back as such a string ({@code "0x%016x"}), which is accepted back unchanged.
 */
final class LuaInt64 {
    private static final long EXACT_LIMIT = 1L << 53;
    private static final double TWO_POW_63 = 0x1p63;
    private static final double TWO_POW_64 = 0x1p64;

    private LuaInt64() {
    }

    /** The raw bits of an integer argument: -2^63 .. 2^64-1 as a number, or a "0x…" string. */
    static long bits(String function, int index, String what, LuaValue value) {
        if (value.type() == LuaValue.TSTRING) {
            return hex(function, index, what, value.tojstring(), 64);
        }
        if (value.type() != LuaValue.TNUMBER) {
            throw Args.bad(function, index, what + ": integer or \"0x…\" string expected, got " + Args.typeName(value));
        }
        double number = value.todouble();
        if (Double.isNaN(number) || Double.isInfinite(number) || number != Math.rint(number)) {
            throw Args.bad(function, index, what + ": " + value.tojstring() + " is not an integer");
        }
        if (number < -TWO_POW_63 || number >= TWO_POW_64) {
            throw Args.bad(function, index, what + ": " + ValueFormat.number(value)
                    + " does not fit in 64 bits (use a \"0x…\" string for raw bits)");
        }
        return number >= TWO_POW_63 ? (long) (number - TWO_POW_63) | Long.MIN_VALUE : (long) number;
    }

    /** A non-negative integer argument that fits in an int, e.g. an index, a size or an offset. */
    static int count(String function, int index, String what, LuaValue value, int max) {
        if (value.type() != LuaValue.TNUMBER || value.todouble() != Math.rint(value.todouble())) {
            throw Args.bad(function, index, what + ": integer expected, got "
                    + (value.type() == LuaValue.TNUMBER ? value.tojstring() : Args.typeName(value)));
        }
        double number = value.todouble();
        if (number < 0) {
            throw Args.bad(function, index, what + " is negative (" + ValueFormat.number(value) + ")");
        }
        if (number > max) {
            throw Args.bad(function, index, what + " " + ValueFormat.number(value) + " is over the limit of " + max);
        }
        return (int) number;
    }

    /** A signed 64-bit result: a number within ±2^53, else its "0x…" bits. */
    static LuaValue value(long value) {
        return value >= -EXACT_LIMIT && value <= EXACT_LIMIT ? number(value) : bitsString(value);
    }

    /** An unsigned 64-bit result: a number up to 2^53, else its "0x…" bits. */
    static LuaValue unsignedValue(long bits) {
        return Long.compareUnsigned(bits, EXACT_LIMIT) <= 0 ? number(bits) : bitsString(bits);
    }

    private static LuaValue number(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? LuaValue.valueOf((int) value) : LuaValue.valueOf((double) value);
    }

    private static LuaValue bitsString(long bits) {
        return LuaValue.valueOf(String.format("0x%016x", bits));
    }

    /** The bits of a "0x…" string argument of at most {@code width} bits. */
    static long hex(String function, int index, String what, String text, int width) {
        boolean prefixed = text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"));
        String digits = prefixed ? text.substring(2) : "";
        if (!digits.matches("[0-9a-fA-F]+")) {
            throw Args.bad(function, index, what + ": strings must be \"0x\" followed by hex digits, got \"" + text + "\"");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > width / 4) {
            throw Args.bad(function, index, what + ": " + text + " does not fit in " + width + " bits");
        }
        return Long.parseUnsignedLong(significant, 16);
    }
}
