package dev.provium.lua;

import dev.provium.fixture.Fixtures;
import dev.provium.vm.Vm;
import dev.provium.vm.VmService;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The guests one Lua file created: {@code provium.create}, {@code provium.fixture} and
 * {@code provium.shutdown_all}. When the file ends (or, for a guest created inside a {@code test()}, that
 * test), guests still running are killed; if anything in the file failed, their console logs are kept under
 * the log directory and their paths printed.
 */
final class FileVms implements AutoCloseable {
    private final VmService service;
    private final LuaFixtures fixtures;
    private final FileRunContext context;
    private final List<Vm> vms = new ArrayList<>();
    private final List<Fixtures.Resumed> resumed = new ArrayList<>();

    FileVms(VmService service, LuaFixtures fixtures, FileRunContext context) {
        this.service = service;
        this.fixtures = fixtures;
        this.context = context;
    }

    void install(LuaTable provium) {
        context.fileScope().register(this);
        provium.set("create", LuaFunctions.named("create", args -> {
            String profile = Args.optString("create", args, 1);
            Vm vm = profile == null ? service.create() : service.create(profile);
            vm.logGroup(context.logGroup());
            adopt(vm);
            return LuaGuest.wrap(vm, context);
        }));
        provium.set("fixture", LuaFunctions.named("fixture", args -> {
            String name = Args.string("fixture", args, 1).tojstring();
            Fixtures.Resumed fixture = fixtures.resume(name, context);
            synchronized (vms) {
                resumed.add(fixture);
            }
            adopt(fixture.vm());
            return LuaGuest.wrap(fixture.vm(), context);
        }));
        provium.set("shutdown_all", LuaFunctions.named("shutdown_all", args -> {
            for (Vm vm : vmsNow()) {
                if (vm.state() == Vm.State.RUNNING) {
                    vm.shutdown();
                }
            }
            return LuaValue.NONE;
        }));
    }

    /**
     * Tracks a guest of this file; one created inside a {@code test()} also ends with that test, like its
     * workers and jobs.
     */
    private void adopt(Vm vm) {
        synchronized (vms) {
            vms.add(vm);
        }
        context.vmCreated(vm);
        ResourceScope scope = context.currentScope();
        if (scope != context.fileScope()) {
            scope.register(new EndOfTest(vm));
        }
    }

    /** Ends a guest when the test that created it ends; its logs are kept when something in the file failed. */
    private final class EndOfTest implements AutoCloseable {
        private final Vm vm;

        EndOfTest(Vm vm) {
            this.vm = vm;
        }

        @Override
        public void close() {
            end(vm);
        }

        @Override
        public String toString() {
            return vm.toString();
        }
    }

    private void end(Vm vm) {
        if (context.failed()) {
            vm.keepLogs();
        }
        vm.kill();
    }

    /** The VM created or resumed last. */
    Optional<Vm> lastCreated() {
        List<Vm> all = vmsNow();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The VMs created here that were booted (not resumed from a fixture), in creation order. */
    List<Vm> bootedGuests() {
        return vmsNow().stream().filter(vm -> vm.bootOptions().isPresent()).toList();
    }

    /** The fixtures used here, in order. */
    List<Fixtures.Resumed> resumedFixtures() {
        synchronized (vms) {
            return List.copyOf(resumed);
        }
    }

    /**
     * The VM a fixture script leaves to be saved: the one it returned, else the last it created; it must
     * still be running.
     */
    Vm fixtureVm(LuaValue returned) {
        String script = "fixture script " + context.chunkName();
        Vm vm;
        if (returned.isnil()) {
            vm = lastCreated().orElseThrow(() -> new LuaError(script + " created no VM: create and boot one"
                    + " (provium.create, vm:boot) or take one from another fixture (provium.fixture), and leave it running"));
        } else {
            vm = LuaGuest.unwrap(returned).orElseThrow(() -> new LuaError(script + " returned a " + Args.typeName(returned)
                    + ": return the VM to save, or nothing to save the last VM it created"));
        }
        if (vm.state() != Vm.State.RUNNING) {
            throw new LuaError(script + " ended with " + vm + ": the VM to save must be left running");
        }
        return vm;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Vm vm : vmsNow()) {
            try {
                end(vm); // a kept log's place is printed by the VM
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "the VMs of " + context.chunkName();
    }

    private List<Vm> vmsNow() {
        synchronized (vms) {
            return List.copyOf(vms);
        }
    }
}
