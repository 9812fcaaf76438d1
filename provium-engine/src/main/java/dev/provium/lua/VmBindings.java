package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.Notices;
import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;
import dev.provium.vm.Vm;
import dev.provium.vm.VmService;

import java.util.List;
import java.util.Optional;

/**
 * The VM part of the Lua API: one {@link VmService} and one set of {@link Fixtures} per engine run, shared
 * by every file, closed (every guest still running killed) when the run ends; each file gets
 * {@code provium.create}, {@code provium.fixture}, {@code provium.shutdown_all} and VM userdata.
 */
@API(status = INTERNAL)
public final class VmBindings implements LuaBindings {
    private final Optional<Notices> notices;

    /** Notices ("provium: fixture base built in 3.1s") go to standard output unless console_progress is false. */
    public VmBindings() {
        this.notices = Optional.empty();
    }

    /** @param notices receives every notice, e.g. one line per fixture and run saying how it was made */
    public VmBindings(Notices notices) {
        this.notices = Optional.of(notices);
    }

    /**
     * A running guest from the named fixture of {@code project} (its {@code fixtures/<name>.lua} under a test root),
     * resumed from the cache or, when there is no valid snapshot, built by running that Lua script first, as
     * {@code provium.fixture(name)} does in a test file.
     */
    public static Vm resumeFixture(VmService service, ProviumConfig project, String name) {
        return new LuaFixtures(service, Fixtures.create(service))
                .resume(name, project.projectDir(), project.roots(), null).vm();
    }

    @Override
    public List<FileBindings> create(ProviumConfig project, ResourceScope engineScope) {
        VmService service = engineScope.register(VmService.create(project, notices.orElseGet(() -> Notices.of(project))));
        return List.of(new GuestServices(service, Fixtures.create(service)).fileBindings());
    }
}
