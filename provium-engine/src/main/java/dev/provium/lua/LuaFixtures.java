package dev.provium.lua;

import dev.provium.fixture.FixtureInputs;
import dev.provium.fixture.FixtureScripts;
import dev.provium.fixture.Fixtures;
import dev.provium.vm.Vm;
import dev.provium.vm.VmException;
import dev.provium.vm.VmService;

import java.nio.file.Path;
import java.util.List;
import org.luaj.vm2.LuaError;

/**
 * {@code provium.fixture(name)} for every file of a run: finds {@code fixtures/<name>.lua} under the file's
 * test roots and asks {@link Fixtures} for a VM resumed from its snapshot. A build runs the fixture script
 * in a Lua state of its own, with the same API (so it may use other fixtures); the VM it returns, else the
 * last one it created, is saved. VMs it created besides are killed when the script's state ends.
 */
final class LuaFixtures {
    private final VmService service;
    private final Fixtures fixtures;

    LuaFixtures(VmService service, Fixtures fixtures) {
        this.service = service;
        this.fixtures = fixtures;
    }

    /** A running VM from the named fixture, for a file whose run is {@code requester}. */
    Fixtures.Resumed resume(String name, FileRunContext requester) {
        return resume(name, requester.projectDir(), requester.moduleRoots(), requester.logGroup(), requester);
    }

    /**
     * A running VM from the named fixture, found under {@code moduleRoots}; its kept logs go under
     * {@code logGroup} (null: the default).
     */
    Fixtures.Resumed resume(String name, Path projectDir, List<Path> moduleRoots, String logGroup) {
        return resume(name, projectDir, moduleRoots, logGroup, null);
    }

    /** ...and a build of the fixture stops when the Lua code of {@code requester} (if any) is interrupted. */
    private Fixtures.Resumed resume(String name, Path projectDir, List<Path> moduleRoots, String logGroup,
                                    FileRunContext requester) {
        Path script;
        try {
            script = FixtureScripts.find(name, moduleRoots);
        } catch (IllegalArgumentException e) {
            throw new LuaError("fixture: " + e.getMessage());
        }
        return fixtures.resume(name, script,
                (directory, inputs) -> build(script, projectDir, moduleRoots, directory, inputs, requester), logGroup);
    }

    private void build(Path script, Path projectDir, List<Path> moduleRoots, Path directory, FixtureInputs inputs,
                       FileRunContext requester) {
        FileRunContext context = new FileRunContext(script, FileRunContext.chunkNameOf(script, projectDir),
                projectDir, moduleRoots);
        context.interruptWith(requester);
        FileVms vms = new FileVms(service, this, context);
        try {
            LuaRuntime runtime = LuaRuntime.create(context, (name, line, options, body) -> {
                throw new LuaError("test('" + name + "') in fixture script " + context.chunkName()
                        + ": a fixture only prepares a VM; write tests in the files that use it");
            }, List.of((provium, globals, file) -> vms.install(provium)));
            Vm vm = vms.fixtureVm(runtime.run());
            context.filesRead().forEach(inputs::file);
            vms.resumedFixtures().forEach(inputs::fixture);
            vms.bootedGuests().forEach(guest -> inputs.guest(guest.profile(), guest.bootOptions().orElseThrow()));
            vm.snapshotAndStop(directory);
        } catch (LuaError e) {
            context.markFailed();
            Throwable failure = LuaFailures.toFailure(e);
            throw new LuaScriptException(failure.getMessage() + consoleOf(failure, vms), failure.getCause(), failure.getStackTrace());
        } catch (RuntimeException e) {
            context.markFailed();
            throw e;
        } finally {
            context.close();
        }
    }

    /** The console tail of the script's last VM, unless the failure is about a VM and carries its own. */
    private static String consoleOf(Throwable failure, FileVms vms) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof VmException) {
                return "";
            }
        }
        return vms.lastCreated().map(vm -> {
            String tail = vm.consoleTail();
            if (tail.isBlank()) {
                return "";
            }
            vm.keepLogs();
            return "\n--- guest console of " + vm.name() + " (last lines) ---\n" + tail.stripTrailing() + "\n---"
                    + vm.keptConsoleLog().map(log -> "\nconsole log: " + log).orElse("");
        }).orElse("");
    }
}
