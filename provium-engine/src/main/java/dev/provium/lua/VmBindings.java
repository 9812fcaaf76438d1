package dev.provium.lua;

import dev.provium.config.ProviumConfig;
import dev.provium.vm.VmService;

import java.util.List;

/**
 * The VM part of the Lua API: one {@link VmService} per engine run, shared by every file, closed (every
 * guest still running killed) when the run ends; each file gets {@code provium.create},
 * {@code provium.shutdown_all} and VM userdata.
 */
public final class VmBindings implements LuaBindings {
    @Override
    public List<ProviumExtension> create(ProviumConfig project, ResourceScope engineScope) {
        VmService service = engineScope.register(VmService.create(project));
        return List.of((provium, globals, context) -> new FileVms(service, context).install(provium));
    }
}
