package dev.provium.lua;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Equality for {@code assert_eq}: strings and string wrappers by bytes, numbers by value, tables deeply by
 * their raw contents (metatables ignored, cycles tolerated), everything else by identity.
 */
final class DeepEquality {

    private final Map<LuaValue, LuaValue> comparing = new IdentityHashMap<>();

    private DeepEquality() {
    }

    /** Empty when equal, else where and how the values first differ (possibly an empty text at top level). */
    static Optional<String> firstDifference(LuaValue expected, LuaValue actual) {
        return new DeepEquality().compare("", expected, actual);
    }

    private Optional<String> compare(String path, LuaValue expected, LuaValue actual) {
        Optional<LuaString> expectedString = StringWrapper.stringOf(expected);
        Optional<LuaString> actualString = StringWrapper.stringOf(actual);
        if (expectedString.isPresent() && actualString.isPresent()) {
            return compareStrings(path, expectedString.get(), actualString.get());
        }
        if (expected.istable() && actual.istable() && !StringWrapper.isWrapper(expected)
                && !StringWrapper.isWrapper(actual)) {
            return compareTables(path, (LuaTable) expected, (LuaTable) actual);
        }
        if (expected.type() == LuaValue.TNUMBER && actual.type() == LuaValue.TNUMBER) {
            return expected.todouble() == actual.todouble() ? Optional.empty() : differ(path, expected, actual);
        }
        return expected.raweq(actual) ? Optional.empty() : differ(path, expected, actual);
    }

    private Optional<String> compareTables(String path, LuaTable expected, LuaTable actual) {
        if (expected == actual || comparing.get(expected) == actual) {
            return Optional.empty();
        }
        comparing.put(expected, actual);
        for (LuaValue key : ValueFormat.sortedKeys(expected)) {
            LuaValue actualValue = actual.rawget(key);
            String keyPath = path + keyPath(key);
            if (actualValue.isnil()) {
                return Optional.of("at " + keyPath + ": expected " + ValueFormat.render(expected.rawget(key))
                        + ", but the key is missing");
            }
            Optional<String> difference = compare(keyPath, expected.rawget(key), actualValue);
            if (difference.isPresent()) {
                return difference;
            }
        }
        for (LuaValue key : ValueFormat.sortedKeys(actual)) {
            if (expected.rawget(key).isnil()) {
                return Optional.of("at " + path + keyPath(key) + ": unexpected key holding "
                        + ValueFormat.render(actual.rawget(key)));
            }
        }
        comparing.remove(expected);
        return Optional.empty();
    }

    private static Optional<String> compareStrings(String path, LuaString expected, LuaString actual) {
        if (expected.raweq(actual)) {
            return Optional.empty();
        }
        String where = path.isEmpty() ? "" : "at " + path + ": ";
        String values = path.isEmpty() ? ""
                : "expected " + ValueFormat.quote(expected, 200) + ", got " + ValueFormat.quote(actual, 200) + "; ";
        int common = Math.min(expected.length(), actual.length());
        for (int i = 0; i < common; i++) {
            if (expected.luaByte(i) != actual.luaByte(i)) {
                return Optional.of(where + values + "first difference at byte " + (i + 1) + ": expected "
                        + describeByte(expected.luaByte(i)) + ", got " + describeByte(actual.luaByte(i)));
            }
        }
        String lengths = expected.length() > actual.length()
                ? "actual ends after " + actual.length() + " of the " + expected.length() + " expected bytes"
                : "actual has " + (actual.length() - expected.length()) + " extra bytes after the "
                        + expected.length() + " expected, starting with " + describeByte(actual.luaByte(common));
        return Optional.of(where + values + lengths);
    }

    private static String describeByte(int b) {
        return "'" + ValueFormat.byteText(b) + "' (0x" + String.format("%02X", b) + ")";
    }

    private static Optional<String> differ(String path, LuaValue expected, LuaValue actual) {
        if (path.isEmpty()) {
            // the caller shows both values; only a type mismatch needs saying
            return Optional.of(expected.type() == actual.type() ? ""
                    : "expected a " + Args.typeName(expected) + ", got a " + Args.typeName(actual));
        }
        return Optional.of("at " + path + ": expected " + describe(expected) + ", got " + describe(actual));
    }

    private static String describe(LuaValue value) {
        String rendered = ValueFormat.render(value);
        return value.isnil() || value.isboolean() || StringWrapper.stringOf(value).isPresent()
                || value.type() == LuaValue.TNUMBER ? rendered : Args.typeName(value) + " " + rendered;
    }

    private static String keyPath(LuaValue key) {
        if (key.type() == LuaValue.TSTRING && key.tojstring().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return "." + key.tojstring();
        }
        return "[" + ValueFormat.render(key) + "]";
    }
}
