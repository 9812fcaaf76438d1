package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.List;

import dev.provium.config.ProviumConfig;

/**
 * Creates, once per engine execution, the bindings every Lua file gets beyond the core API (e.g. the VM
 * bindings behind {@code provium.create}). Services they share across files (a VM pool, an image cache) should
 * be registered in {@code engineScope}, which closes when the engine execution ends.
 */
@FunctionalInterface
@API(status = INTERNAL)
public interface LuaBindings {

    /** No bindings beyond the core API. */
    LuaBindings NONE = (project, engineScope) -> List.of();

    /**
     * @param project     provium.toml with the configuration parameters laid over it
     * @param engineScope closes when the engine execution ends
     */
    List<FileBindings> create(ProviumConfig project, ResourceScope engineScope);
}
