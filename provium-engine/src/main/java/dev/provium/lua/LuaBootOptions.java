package dev.provium.lua;

import dev.provium.vm.BootOptions;
import dev.provium.vm.Disk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code vm:boot(opts)}'s table → {@link BootOptions}; every mistake names the option. Host paths resolve against the project. */
final class LuaBootOptions {
    private static final Set<String> KEYS = Set.of("memory", "cpus", "files", "disks", "cold");
    private static final Set<String> DISK_KEYS = Set.of("1", "path", "format", "readonly");

    private LuaBootOptions() {
    }

    static BootOptions from(LuaValue opts, Path projectDir) {
        BootOptions options = BootOptions.defaults();
        if (opts.isnil()) {
            return options;
        }
        if (!opts.istable()) {
            throw Args.bad("boot", 2, "table", opts);
        }
        LuaTable table = opts.checktable();
        checkKeys(table, KEYS, "boot option");
        LuaValue memory = table.get("memory");
        if (!memory.isnil()) {
            if (memory.type() != LuaValue.TSTRING) {
                throw new LuaError("boot: memory must be a string like \"512M\" or \"1G\", got " + Args.typeName(memory));
            }
            options = options.withMemory(memory.tojstring());
        }
        LuaValue cpus = table.get("cpus");
        if (!cpus.isnil()) {
            if (!cpus.isint() || cpus.toint() < 1) {
                throw new LuaError("boot: cpus must be a whole number of at least 1, got " + cpus.tojstring());
            }
            options = options.withCpus(cpus.toint());
        }
        LuaValue files = table.get("files");
        if (!files.isnil()) {
            options = options.withFiles(files(files, projectDir));
        }
        LuaValue cold = table.get("cold");
        if (!cold.isnil()) {
            if (!cold.isboolean()) {
                throw new LuaError("boot: cold must be a boolean (true boots the kernel afresh instead of resuming the boot cache), got "
                        + Args.typeName(cold));
            }
            options = options.withColdBoot(cold.toboolean());
        }
        LuaValue disks = table.get("disks");
        if (!disks.isnil()) {
            options = options.withDisks(disks(disks, projectDir));
        }
        return options;
    }

    private static Map<String, Path> files(LuaValue files, Path projectDir) {
        if (!files.istable()) {
            throw new LuaError("boot: files must be a table of guest path = host path, got " + Args.typeName(files));
        }
        Map<String, Path> map = new LinkedHashMap<>();
        for (Varargs entry = files.next(LuaValue.NIL); !entry.arg1().isnil(); entry = files.next(entry.arg1())) {
            LuaValue guest = entry.arg1();
            LuaValue host = entry.arg(2);
            if (guest.type() != LuaValue.TSTRING || host.type() != LuaValue.TSTRING) {
                throw new LuaError("boot: files entries must be guest path (string) = host path (string), got "
                        + Args.typeName(guest) + " = " + Args.typeName(host));
            }
            map.put(guest.tojstring(), projectDir.resolve(host.tojstring()).normalize());
        }
        return map;
    }

    private static List<Disk> disks(LuaValue disks, Path projectDir) {
        if (!disks.istable()) {
            throw new LuaError("boot: disks must be a list of {path, format, readonly} tables, got " + Args.typeName(disks));
        }
        List<Disk> list = new ArrayList<>();
        for (int i = 1; i <= disks.length(); i++) {
            LuaValue disk = disks.get(i);
            String where = "boot: disks[" + i + "]";
            if (!disk.istable()) {
                throw new LuaError(where + " must be a table {path, format, readonly}, got " + Args.typeName(disk));
            }
            checkKeys(disk.checktable(), DISK_KEYS, "disk option");
            LuaValue path = disk.get("path").isnil() ? disk.get(1) : disk.get("path");
            if (path.type() != LuaValue.TSTRING) {
                throw new LuaError(where + ".path must be a string, got " + Args.typeName(path));
            }
            LuaValue format = disk.get("format");
            LuaValue readonly = disk.get("readonly");
            if (!readonly.isnil() && !readonly.isboolean()) {
                throw new LuaError(where + ".readonly must be a boolean, got " + Args.typeName(readonly));
            }
            Disk.Format parsed;
            try {
                parsed = format.isnil() ? Disk.Format.RAW : Disk.Format.parse(format.tojstring());
            } catch (IllegalArgumentException e) {
                throw new LuaError(where + ".format: " + e.getMessage());
            }
            list.add(new Disk(projectDir.resolve(path.tojstring()).normalize(), parsed, readonly.optboolean(false)));
        }
        return list;
    }

    private static void checkKeys(LuaTable table, Set<String> known, String what) {
        for (Varargs entry = table.next(LuaValue.NIL); !entry.arg1().isnil(); entry = table.next(entry.arg1())) {
            String key = entry.arg1().tojstring();
            if (!known.contains(key)) {
                throw new LuaError("boot: unknown " + what + " '" + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
