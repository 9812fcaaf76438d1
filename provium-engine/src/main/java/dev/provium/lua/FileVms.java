package dev.provium.lua;

import dev.provium.vm.Vm;
import dev.provium.vm.VmService;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The guests one Lua file created: {@code provium.create} and {@code provium.shutdown_all}. When the file
 * ends, guests still running are killed; if anything in the file failed, their console logs are kept
 * and their paths printed.
 */
final class FileVms implements AutoCloseable {
    private final VmService service;
    private final FileRunContext context;
    private final List<Vm> vms = new ArrayList<>();

    FileVms(VmService service, FileRunContext context) {
        this.service = service;
        this.context = context;
    }

    void install(LuaTable provium) {
        context.fileScope().register(this);
        provium.set("create", LuaFunctions.named("create", args -> {
            String profile = Args.optString("create", args, 1);
            Vm vm = profile == null ? service.create() : service.create(profile);
            synchronized (vms) {
                vms.add(vm);
            }
            return LuaGuest.wrap(vm, context);
        }));
        provium.set("shutdown_all", LuaFunctions.named("shutdown_all", args -> {
            for (Vm vm : snapshot()) {
                if (vm.state() == Vm.State.RUNNING) {
                    vm.shutdown();
                }
            }
            return LuaValue.NONE;
        }));
    }

    @Override
    public void close() {
        for (Vm vm : snapshot()) {
            if (context.failed()) {
                vm.keepLogs();
            }
            vm.kill();
            if (context.failed()) {
                vm.consoleLog().filter(Files::exists).ifPresent(log -> System.out.println("provium: console log of vm " + vm.name()
                        + " in " + context.chunkName() + ": " + log));
            }
        }
    }

    @Override
    public String toString() {
        return "the VMs of " + context.chunkName();
    }

    private List<Vm> snapshot() {
        synchronized (vms) {
            return List.copyOf(vms);
        }
    }
}
