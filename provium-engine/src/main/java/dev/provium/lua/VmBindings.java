package dev.provium.lua;

import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;
import dev.provium.vm.VmService;

import java.util.List;
import java.util.function.Consumer;

/**
 * The VM part of the Lua API: one {@link VmService} and one set of {@link Fixtures} per engine run, shared
 * by every file, closed (every guest still running killed) when the run ends; each file gets
 * {@code provium.create}, {@code provium.fixture}, {@code provium.shutdown_all} and VM userdata.
 */
public final class VmBindings implements LuaBindings {
    private final Consumer<String> notices;

    /** Fixture notices ("provium: fixture base built in 3.1s") go to standard output. */
    public VmBindings() {
        this(System.out::println);
    }

    /** @param notices receives one line per fixture and run saying whether it was built or came from the cache */
    public VmBindings(Consumer<String> notices) {
        this.notices = notices;
    }

    @Override
    public List<ProviumExtension> create(ProviumConfig project, ResourceScope engineScope) {
        VmService service = engineScope.register(VmService.create(project));
        LuaFixtures fixtures = new LuaFixtures(service, Fixtures.create(service, notices));
        return List.of((provium, globals, context) -> new FileVms(service, fixtures, context).install(provium));
    }
}
