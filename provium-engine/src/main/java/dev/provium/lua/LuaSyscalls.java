package dev.provium.lua;

import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;
import dev.provium.vm.GuestChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code vm:syscall}, {@code vm:syscall_buf}, {@code vm:syscall_bufs} and {@code vm:syscall_ptr}: the argument
 * list is always the full one (at most 6), with placeholders where buffers go (0-based indices); the result is
 * the raw int64 (negative errno on failure), then buffers after the call.
 */
final class LuaSyscalls {
    static final Set<String> POINTER_KEYS = Set.of("buf_idx", "ptr_offset", "data_len", "output", "data");

    private LuaSyscalls() {
    }

    /** {@code vm:syscall(nr, a1, ..., a6)} → ret. */
    static Varargs syscall(GuestChannel guest, Varargs args) {
        SyscallRequest.Builder call = SyscallRequest.syscall(number("syscall", args)).args(arguments("syscall", args, 3));
        return LuaInt64.value(guest.syscall(call.build()).value());
    }

    /** {@code vm:syscall_buf(nr, idx, data, args...)} → ret, the buffer after the call. */
    static Varargs syscallBuf(GuestChannel guest, Varargs args) {
        long number = number("syscall_buf", args);
        int index = LuaInt64.count("syscall_buf", 3, "buffer argument index", args.arg(3), SyscallRequest.MAX_ARGS - 1);
        byte[] data = LuaBytes.argument("syscall_buf", args, 4);
        long[] values = arguments("syscall_buf", args, 5);
        requirePlaceholder("syscall_buf", 3, index, values.length);
        SyscallRequest.Builder call = SyscallRequest.syscall(number).args(values);
        call.pointer(index, call.buffer(data, data.length, true));
        SyscallResult result = guest.syscall(call.build());
        return LuaValue.varargsOf(LuaInt64.value(result.value()), LuaString.valueOf(result.buffer(0)));
    }

    /** {@code vm:syscall_bufs(nr, {[idx] = data, ...}, args...)} → ret, every buffer in index order. */
    static Varargs syscallBufs(GuestChannel guest, Varargs args) {
        long number = number("syscall_bufs", args);
        Map<Integer, byte[]> buffers = buffers("syscall_bufs", 3, args.arg(3));
        long[] values = arguments("syscall_bufs", args, 4);
        SyscallRequest.Builder call = SyscallRequest.syscall(number).args(values);
        bind("syscall_bufs", 3, call, buffers, values.length);
        return results(guest.syscall(call.build()));
    }

    /**
     * {@code vm:syscall_ptr(nr, bufs, ptrs, args...)}: each pointer spec {@code {buf_idx, ptr_offset,
     * data_len, output, data}} adds a sub-buffer and writes its address into buffer {@code buf_idx} (the
     * argument index of a buffer in {@code bufs}) at {@code ptr_offset} → ret, the buffers in index order,
     * then the sub-buffers marked {@code output} in spec order.
     */
    static Varargs syscallPtr(GuestChannel guest, Varargs args) {
        long number = number("syscall_ptr", args);
        Map<Integer, byte[]> buffers = buffers("syscall_ptr", 3, args.arg(3));
        LuaTable specs = specs("syscall_ptr", 4, args.arg(4));
        long[] values = arguments("syscall_ptr", args, 5);
        SyscallRequest.Builder call = SyscallRequest.syscall(number).args(values);
        Map<Integer, Integer> bufferOfArgument = bind("syscall_ptr", 3, call, buffers, values.length);
        for (int i = 1; i <= specs.length(); i++) {
            LuaTable spec = spec("syscall_ptr", 4, specs, i);
            String where = "ptrs[" + i + "]";
            LuaValue bufIdx = spec.get("buf_idx");
            if (bufIdx.isnil()) {
                throw Args.bad("syscall_ptr", 4, where + ".buf_idx is missing");
            }
            int argument = LuaInt64.count("syscall_ptr", 4, where + ".buf_idx", bufIdx, SyscallRequest.MAX_ARGS - 1);
            Integer target = bufferOfArgument.get(argument);
            if (target == null) {
                throw Args.bad("syscall_ptr", 4, where + ".buf_idx " + argument + " names no buffer (bufs has "
                        + (buffers.isEmpty() ? "none" : "indices " + buffers.keySet()) + ")");
            }
            SubBuffer sub = subBuffer("syscall_ptr", 4, where, spec, "data_len");
            call.patch(target, sub.offset(), call.buffer(sub.data(), sub.size(), sub.output()));
        }
        return results(guest.syscall(call.build()));
    }

    record SubBuffer(long offset, byte[] data, long size, boolean output) {
    }

    /** A pointer spec's {@code ptr_offset}, {@code data} and size field ({@code data_len} or {@code buf_len}). */
    static SubBuffer subBuffer(String function, int index, String where, LuaTable spec, String sizeKey) {
        LuaValue offset = spec.get("ptr_offset");
        if (offset.isnil()) {
            throw Args.bad(function, index, where + ".ptr_offset is missing");
        }
        long ptrOffset = LuaInt64.count(function, index, where + ".ptr_offset", offset, Integer.MAX_VALUE);
        LuaValue dataValue = spec.get("data");
        byte[] data = dataValue.isnil() ? new byte[0] : LuaBytes.field(function, index, where + ".data", dataValue);
        LuaValue sizeValue = spec.get(sizeKey);
        if (sizeValue.isnil() && dataValue.isnil()) {
            throw Args.bad(function, index, where + " needs " + sizeKey + " or data");
        }
        long size = sizeValue.isnil() ? data.length
                : LuaInt64.count(function, index, where + "." + sizeKey, sizeValue, SyscallRequest.MAX_BUFFER_BYTES);
        if (size < data.length) {
            throw Args.bad(function, index, where + "." + sizeKey + " " + size + " is smaller than its " + data.length
                    + " bytes of data");
        }
        LuaValue output = spec.get("output");
        if (!output.isnil() && !output.isboolean()) {
            throw Args.bad(function, index, where + ".output must be a boolean, got " + Args.typeName(output));
        }
        return new SubBuffer(ptrOffset, data, size, output.optboolean(false));
    }

    /** The list of spec tables at argument {@code index}. */
    static LuaTable specs(String function, int index, LuaValue specs) {
        if (!specs.istable()) {
            throw Args.bad(function, index, "table", specs);
        }
        return specs.checktable();
    }

    /** Spec {@code i} of the list; every key must be one of {@code known}. */
    static LuaTable spec(String function, int index, LuaTable specs, int i) {
        LuaValue spec = specs.get(i);
        if (!spec.istable()) {
            throw Args.bad(function, index, "entry " + i + " must be a table, got " + Args.typeName(spec));
        }
        Set<String> known = function.equals("syscall_ptr") ? POINTER_KEYS : LuaIoctls.SPEC_KEYS;
        for (Varargs entry = spec.next(LuaValue.NIL); !entry.arg1().isnil(); entry = spec.next(entry.arg1())) {
            if (!known.contains(entry.arg1().tojstring())) {
                throw Args.bad(function, index, "entry " + i + " has an unknown field '" + entry.arg1().tojstring()
                        + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return spec.checktable();
    }

    static long number(String function, Varargs args) {
        return LuaInt64.bits(function, 2, "system call number", args.arg(2));
    }

    /** Arguments from {@code first} on: at most 6 integers. */
    static long[] arguments(String function, Varargs args, int first) {
        int count = Math.max(0, args.narg() - first + 1);
        if (count > SyscallRequest.MAX_ARGS) {
            throw Args.bad(function, first + SyscallRequest.MAX_ARGS, "at most " + SyscallRequest.MAX_ARGS
                    + " system call arguments, got " + count);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = LuaInt64.bits(function, first + i, "argument " + i, args.arg(first + i));
        }
        return values;
    }

    /** {@code {[idx] = data}}: argument index → buffer contents, in index order. */
    static Map<Integer, byte[]> buffers(String function, int index, LuaValue table) {
        if (!table.istable()) {
            throw Args.bad(function, index, "table", table);
        }
        Map<Integer, byte[]> buffers = new TreeMap<>();
        for (Varargs entry = table.next(LuaValue.NIL); !entry.arg1().isnil(); entry = table.next(entry.arg1())) {
            LuaValue key = entry.arg1();
            int argument = LuaInt64.count(function, index, "buffer index", key, SyscallRequest.MAX_ARGS - 1);
            buffers.put(argument, LuaBytes.field(function, index, "buffer [" + argument + "]", entry.arg(2)));
        }
        return buffers;
    }

    /** Adds the buffers (returned after the call) and points their arguments at them; argument → buffer index. */
    static Map<Integer, Integer> bind(String function, int index, SyscallRequest.Builder call, Map<Integer, byte[]> buffers,
            int argumentCount) {
        Map<Integer, Integer> bufferOfArgument = new TreeMap<>();
        for (Map.Entry<Integer, byte[]> buffer : buffers.entrySet()) {
            requirePlaceholder(function, index, buffer.getKey(), argumentCount);
            int b = call.buffer(buffer.getValue(), buffer.getValue().length, true);
            call.pointer(buffer.getKey(), b);
            bufferOfArgument.put(buffer.getKey(), b);
        }
        return bufferOfArgument;
    }

    static void requirePlaceholder(String function, int index, int argument, int argumentCount) {
        if (argument >= argumentCount) {
            throw Args.bad(function, index, "buffer index " + argument + " has no argument: " + argumentCount
                    + " arguments were given (give the full list, with a placeholder where a buffer goes)");
        }
    }

    static Varargs results(SyscallResult result) {
        List<LuaValue> values = new ArrayList<>();
        values.add(LuaInt64.value(result.value()));
        for (byte[] buffer : result.buffers()) {
            values.add(LuaString.valueOf(buffer));
        }
        return LuaValue.varargsOf(values.toArray(LuaValue[]::new));
    }
}
