package dev.provium.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code vm:wait_until(fn, {timeout=10, interval=0.5, desc="condition"})}: polls fn until it returns a truthy value. */
final class WaitUntil {
    private WaitUntil() {
    }

    static Varargs poll(LuaFunction condition, LuaValue opts) {
        if (!opts.isnil() && !opts.istable()) {
            throw Args.bad("wait_until", 3, "table", opts);
        }
        double timeout = seconds(opts, "timeout", 10);
        double interval = seconds(opts, "interval", 0.5);
        LuaValue desc = opts.isnil() ? LuaValue.NIL : opts.get("desc");
        String what = desc.isnil() ? "condition" : desc.tojstring();
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            Varargs result = condition.invoke();
            if (result.arg1().toboolean()) {
                return result;
            }
            if (System.nanoTime() >= deadline) {
                throw new LuaError("timed out after " + format(timeout) + "s waiting for " + what);
            }
            try {
                Thread.sleep(Math.max(1, Math.min((long) (interval * 1000), (deadline - System.nanoTime()) / 1_000_000 + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LuaError("interrupted while waiting for " + what);
            }
        }
    }

    private static double seconds(LuaValue opts, String key, double fallback) {
        LuaValue value = opts.isnil() ? LuaValue.NIL : opts.get(key);
        if (value.isnil()) {
            return fallback;
        }
        if (!value.isnumber() || value.todouble() < 0) {
            throw new LuaError("wait_until: " + key + " must be a number of seconds (0 or more), got " + value.tojstring());
        }
        return value.todouble();
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
