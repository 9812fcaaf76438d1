package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.fixture.Fixtures;
import dev.provium.vm.VmService;

import java.nio.file.Path;
import java.util.List;

/**
 * The guests of a run as Lua sees them, over one {@link VmService} and one {@link Fixtures}: the bindings each
 * file gets ({@code provium.create}, {@code provium.fixture}, {@code provium.shutdown_all}) and fixture
 * resumption for Java callers (the Jupiter extension), so Lua files and Java tests share snapshots.
 */
@API(status = INTERNAL)
public final class GuestServices {
    private final VmService service;
    private final LuaFixtures fixtures;

    public GuestServices(VmService service, Fixtures fixtures) {
        this.service = service;
        this.fixtures = new LuaFixtures(service, fixtures);
    }

    public VmService service() {
        return service;
    }

    /** The VM bindings of one file: what it creates lives in its file scope. */
    public FileBindings fileBindings() {
        return (provium, globals, context) -> new FileVms(service, fixtures, context).install(provium);
    }

    /**
     * A running VM resumed from {@code fixtures/<name>.lua}, found under {@code roots}; the first request of a
     * run builds (or takes from the cache) its snapshot.
     *
     * @param projectDir what relative paths in the fixture script resolve against
     */
    public Fixtures.Resumed resumeFixture(String name, Path projectDir, List<Path> roots) {
        return fixtures.resume(name, projectDir, roots);
    }
}
