package dev.provium.lua;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code provium.pack(fmt, ...)} and {@code provium.unpack(fmt, data)}: little-endian fields named by a
 * space-separated format of {@code u8 i8 u16 i16 u32 i32 u64 i64}.
 *
 * <p>Lua numbers here are doubles, exact only up to 2^53. So every field also accepts a {@code "0x…"} string
 * giving its raw bits (at most the field's width), and {@code unpack} returns 64-bit values outside
 * ±2^53 as such a string ({@code "0x%016x"} of the raw bits), which {@code pack} accepts back unchanged.
 */
final class BinaryFormat {

    static final String PACK = "provium.pack";
    static final String UNPACK = "provium.unpack";

    /** Largest magnitude a double holds with every integer below it exact. */
    private static final double TWO_POW_63 = 0x1p63;
    private static final double TWO_POW_64 = 0x1p64;

    private enum Type {
        U8(1, false), I8(1, true), U16(2, false), I16(2, true), U32(4, false), I32(4, true), U64(8, false),
        I64(8, true);

        final int size;
        final boolean signed;

        Type(int size, boolean signed) {
            this.size = size;
            this.signed = signed;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        long min() {
            return signed ? -(1L << (size * 8 - 1)) : 0;
        }

        /** Largest value; for u64 the bit pattern of 2^64-1. */
        long max() {
            if (size == 8) {
                return signed ? Long.MAX_VALUE : -1L;
            }
            return signed ? (1L << (size * 8 - 1)) - 1 : (1L << (size * 8)) - 1;
        }
    }

    private record Field(int index, Type type) {
        String describe() {
            return "field " + index + " (" + type.label() + ")";
        }
    }

    private BinaryFormat() {
    }

    static Varargs pack(Varargs args) {
        List<Field> fields = parse(PACK, Args.string(PACK, args, 1).tojstring());
        int values = args.narg() - 1;
        if (values > fields.size()) {
            throw Args.bad(PACK, fields.size() + 2,
                    "format has " + fields.size() + " fields but " + values + " values were given");
        }
        byte[] out = new byte[fields.stream().mapToInt(f -> f.type().size).sum()];
        int offset = 0;
        for (Field field : fields) {
            int argument = field.index() + 1;
            if (field.index() > values) {
                throw Args.bad(PACK, argument, field.describe() + " has no value");
            }
            long bits = bitsOf(field, argument, args.arg(argument));
            for (int i = 0; i < field.type().size; i++) {
                out[offset + i] = (byte) (bits >>> (8 * i));
            }
            offset += field.type().size;
        }
        return LuaString.valueOf(out);
    }

    static Varargs unpack(Varargs args) {
        List<Field> fields = parse(UNPACK, Args.string(UNPACK, args, 1).tojstring());
        LuaString data = StringWrapper.stringOf(args.arg(2))
                .orElseThrow(() -> Args.bad(UNPACK, 2, "string", args.arg(2)));
        int needed = fields.stream().mapToInt(f -> f.type().size).sum();
        LuaValue[] values = new LuaValue[fields.size()];
        int offset = 0;
        for (Field field : fields) {
            if (offset + field.type().size > data.length()) {
                throw Args.bad(UNPACK, 2, "data has " + data.length() + " bytes but the format needs " + needed
                        + "; " + field.describe() + " at byte offset " + offset + " is incomplete");
            }
            long bits = 0;
            for (int i = 0; i < field.type().size; i++) {
                bits |= (long) data.luaByte(offset + i) << (8 * i);
            }
            values[field.index() - 1] = valueOf(field.type(), bits);
            offset += field.type().size;
        }
        return LuaValue.varargsOf(values);
    }

    private static List<Field> parse(String function, String format) {
        List<Field> fields = new ArrayList<>();
        for (String token : format.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            try {
                fields.add(new Field(fields.size() + 1, Type.valueOf(token.toUpperCase(Locale.ROOT))));
            } catch (IllegalArgumentException unknown) {
                throw Args.bad(function, 1, "unknown type '" + token + "' for field " + (fields.size() + 1)
                        + "; known types: u8 i8 u16 i16 u32 i32 u64 i64");
            }
        }
        return fields;
    }

    private static long bitsOf(Field field, int argument, LuaValue value) {
        if (value.type() == LuaValue.TSTRING) {
            return LuaInt64.hex(PACK, argument, field.describe(), value.tojstring(), field.type().size * 8);
        }
        if (value.type() != LuaValue.TNUMBER) {
            throw Args.bad(PACK, argument,
                    field.describe() + ": number or \"0x…\" string expected, got " + Args.typeName(value));
        }
        double number = value.todouble();
        if (Double.isNaN(number) || Double.isInfinite(number) || number != Math.rint(number)) {
            throw Args.bad(PACK, argument, field.describe() + ": " + value.tojstring() + " is not an integer");
        }
        Type type = field.type();
        if (type == Type.U64) {
            if (number < 0 || number >= TWO_POW_64) {
                throw outOfRange(field, argument, ValueFormat.number(value), "0..18446744073709551615");
            }
            return number >= TWO_POW_63 ? (long) (number - TWO_POW_63) | Long.MIN_VALUE : (long) number;
        }
        if (type == Type.I64 && (number < -TWO_POW_63 || number >= TWO_POW_63)) {
            throw outOfRange(field, argument, ValueFormat.number(value), type.min() + ".." + type.max());
        }
        long integer = (long) number;
        if (type.size < 8 && (integer < type.min() || integer > type.max())) {
            throw outOfRange(field, argument, ValueFormat.number(value), type.min() + ".." + type.max());
        }
        return integer;
    }

    private static LuaError outOfRange(Field field, int argument, String value, String range) {
        return Args.bad(PACK, argument, field.describe() + ": " + value + " is out of range " + range);
    }

    private static LuaValue valueOf(Type type, long bits) {
        long value = switch (type) {
            case I8 -> (byte) bits;
            case I16 -> (short) bits;
            case I32 -> (int) bits;
            default -> bits;
        };
        return type == Type.U64 ? LuaInt64.unsignedValue(value) : LuaInt64.value(value);
    }
}
