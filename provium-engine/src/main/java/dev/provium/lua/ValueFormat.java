package dev.provium.lua;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Renders Lua values for failure messages: strings quoted with non-printable bytes as {@code \xNN}, numbers
 * without a spurious {@code .0}, tables as constructors with sorted keys (nested, cycle-safe, bounded).
 */
final class ValueFormat {

    static final int MAX_STRING_BYTES = 2000;
    private static final int MAX_DEPTH = 6;
    private static final int MAX_ENTRIES = 50;

    private ValueFormat() {
    }

    static String render(LuaValue value) {
        StringBuilder out = new StringBuilder();
        render(value, out, 0, new IdentityHashMap<>());
        return out.toString();
    }

    /** A byte string as a quoted Lua literal; bytes beyond {@code maxBytes} are summarized. */
    static String quote(LuaString s, int maxBytes) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), maxBytes) + 2).append('"');
        int shown = Math.min(s.length(), maxBytes);
        for (int i = 0; i < shown; i++) {
            appendByte(out, s.luaByte(i));
        }
        out.append('"');
        if (shown < s.length()) {
            out.append(" ... (").append(s.length() - shown).append(" more bytes, ").append(s.length()).append(" in all)");
        }
        return out.toString();
    }

    /** One byte as it appears inside a quoted string. */
    static String byteText(int b) {
        StringBuilder out = new StringBuilder();
        appendByte(out, b);
        return out.toString();
    }

    /** Integral values in full ({@code 18446744073709551616}, not {@code 1.8446744E19}), others as Lua prints them. */
    static String number(LuaValue n) {
        double d = n.todouble();
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toBigInteger().toString();
        }
        return n.tojstring();
    }

    private static void appendByte(StringBuilder out, int b) {
        switch (b) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (b >= 0x20 && b < 0x7f) {
                    out.append((char) b);
                } else {
                    out.append(String.format("\\x%02X", b));
                }
            }
        }
    }

    private static void render(LuaValue value, StringBuilder out, int depth, Map<LuaValue, Boolean> open) {
        if (StringWrapper.isWrapper(value)) {
            out.append(quote(StringWrapper.stringOf(value).orElseThrow(), MAX_STRING_BYTES));
        } else if (value.type() == LuaValue.TSTRING) {
            out.append(quote(value.checkstring(), MAX_STRING_BYTES));
        } else if (value.type() == LuaValue.TNUMBER) {
            out.append(number(value));
        } else if (value.istable()) {
            renderTable((LuaTable) value, out, depth, open);
        } else {
            out.append(value.tojstring());
        }
    }

    private static void renderTable(LuaTable table, StringBuilder out, int depth, Map<LuaValue, Boolean> open) {
        if (open.containsKey(table)) {
            out.append("<cycle>");
            return;
        }
        if (depth >= MAX_DEPTH) {
            out.append("{...}");
            return;
        }
        open.put(table, true);
        List<LuaValue> keys = sortedKeys(table);
        int arrayLength = sequenceLength(table);
        out.append('{');
        int shown = 0;
        for (LuaValue key : keys) {
            if (shown == MAX_ENTRIES) {
                out.append(", ... (").append(keys.size() - shown).append(" more)");
                break;
            }
            if (shown > 0) {
                out.append(", ");
            }
            boolean inSequence = key.type() == LuaValue.TNUMBER && key.todouble() == Math.rint(key.todouble())
                    && key.todouble() >= 1 && key.todouble() <= arrayLength;
            if (!inSequence) {
                appendKey(key, out, depth, open);
                out.append(" = ");
            }
            render(table.get(key), out, depth + 1, open);
            shown++;
        }
        out.append('}');
        open.remove(table);
    }

    private static void appendKey(LuaValue key, StringBuilder out, int depth, Map<LuaValue, Boolean> open) {
        if (key.type() == LuaValue.TSTRING && key.tojstring().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            out.append(key.tojstring());
        } else {
            out.append('[');
            render(key, out, depth + 1, open);
            out.append(']');
        }
    }

    /** Number of consecutive non-nil entries from index 1. */
    static int sequenceLength(LuaTable table) {
        int n = 0;
        while (!table.rawget(n + 1).isnil()) {
            n++;
        }
        return n;
    }

    /** Keys in a stable order: sequence indices first, then numbers, then strings, then everything else. */
    static List<LuaValue> sortedKeys(LuaTable table) {
        List<LuaValue> keys = new ArrayList<>();
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            keys.add(key);
        }
        keys.sort(Comparator.comparingInt(ValueFormat::keyRank).thenComparing(ValueFormat::compareWithinRank));
        return keys;
    }

    private static int keyRank(LuaValue key) {
        return switch (key.type()) {
            case LuaValue.TNUMBER -> 0;
            case LuaValue.TSTRING -> 1;
            case LuaValue.TBOOLEAN -> 2;
            default -> 3;
        };
    }

    private static int compareWithinRank(LuaValue a, LuaValue b) {
        if (a.type() == LuaValue.TNUMBER && b.type() == LuaValue.TNUMBER) {
            return Double.compare(a.todouble(), b.todouble());
        }
        return a.tojstring().compareTo(b.tojstring());
    }
}
