package dev.provium.lua;

import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;
import dev.provium.vm.GuestChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code vm:ioctl(fd, cmd, data?)} and {@code vm:ioctl_buf(fd, cmd, struct, specs)}. The direction bits of
 * {@code cmd} (Linux's generic _IOC layout: 2 direction bits at 30, 14 size bits at 16) decide whether the
 * struct comes back: for _IOR and _IOWR it does, sized max(#data, _IOC_SIZE(cmd)).
 */
final class LuaIoctls {
    static final Set<String> SPEC_KEYS = Set.of("ptr_offset", "buf_len", "output", "data");
    private static final int IOC_WRITE = 1;
    private static final int IOC_READ = 2;

    private LuaIoctls() {
    }

    static int direction(long cmd) {
        return (int) ((cmd >>> 30) & 3);
    }

    static int size(long cmd) {
        return (int) ((cmd >>> 16) & 0x3FFF);
    }

    /** → ret, then the struct after the call for read directions, else nil. An integer data is the plain argument. */
    static Varargs ioctl(GuestChannel guest, Varargs args) {
        long fd = LuaInt64.bits("ioctl", 2, "fd", args.arg(2));
        long cmd = LuaInt64.bits("ioctl", 3, "cmd", args.arg(3));
        if (args.narg() > 4) {
            throw Args.bad("ioctl", 5, "ioctl takes fd, cmd and data, got " + (args.narg() - 1) + " arguments");
        }
        LuaValue data = args.arg(4);
        boolean read = (direction(cmd) & IOC_READ) != 0;
        SyscallRequest.Builder call = SyscallRequest.ioctl();
        if (data.type() == LuaValue.TNUMBER) {
            call.args(fd, cmd, LuaInt64.bits("ioctl", 4, "data", data));
            read = false;
        } else if (data.isnil() && (direction(cmd) == 0 || size(cmd) == 0)) {
            call.args(fd, cmd, 0);
            read = false;
        } else if (data.isnil() || StringWrapper.stringOf(data).isPresent()) {
            byte[] bytes = data.isnil() ? new byte[0] : LuaBytes.argument("ioctl", args, 4);
            call.args(fd, cmd, 0);
            call.pointer(2, call.buffer(bytes, Math.max(bytes.length, size(cmd)), read));
        } else {
            throw Args.bad("ioctl", 4, "string, integer or nil expected, got " + Args.typeName(data));
        }
        SyscallResult result = guest.syscall(call.build());
        return LuaValue.varargsOf(LuaInt64.value(result.value()), read ? LuaString.valueOf(result.buffer(0)) : LuaValue.NIL);
    }

    /**
     * Specs {@code {ptr_offset, buf_len, output, data}} add buffers whose addresses are written into the struct →
     * ret, the struct after the call (nil unless a read direction), then the output buffers in spec order.
     */
    static Varargs ioctlBuf(GuestChannel guest, Varargs args) {
        long fd = LuaInt64.bits("ioctl_buf", 2, "fd", args.arg(2));
        long cmd = LuaInt64.bits("ioctl_buf", 3, "cmd", args.arg(3));
        byte[] struct = LuaBytes.argument("ioctl_buf", args, 4);
        LuaTable specs = LuaSyscalls.specs("ioctl_buf", 5, args.arg(5));
        if (args.narg() > 5) {
            throw Args.bad("ioctl_buf", 6, "ioctl_buf takes fd, cmd, struct and specs, got " + (args.narg() - 1)
                    + " arguments");
        }
        boolean read = (direction(cmd) & IOC_READ) != 0;
        SyscallRequest.Builder call = SyscallRequest.ioctl().args(fd, cmd, 0);
        int structBuffer = call.buffer(struct, Math.max(struct.length, size(cmd)), read);
        call.pointer(2, structBuffer);
        for (int i = 1; i <= specs.length(); i++) {
            LuaTable spec = LuaSyscalls.spec("ioctl_buf", 5, specs, i);
            LuaSyscalls.SubBuffer sub = LuaSyscalls.subBuffer("ioctl_buf", 5, "specs[" + i + "]", spec, "buf_len");
            call.patch(structBuffer, sub.offset(), call.buffer(sub.data(), sub.size(), sub.output()));
        }
        SyscallResult result = guest.syscall(call.build());
        List<LuaValue> values = new ArrayList<>();
        values.add(LuaInt64.value(result.value()));
        values.add(read ? LuaString.valueOf(result.buffer(0)) : LuaValue.NIL);
        for (int i = read ? 1 : 0; i < result.buffers().size(); i++) {
            values.add(LuaString.valueOf(result.buffer(i)));
        }
        return LuaValue.varargsOf(values.toArray(LuaValue[]::new));
    }
}
