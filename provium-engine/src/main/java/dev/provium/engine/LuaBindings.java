package dev.provium.engine;

import java.util.List;

import dev.provium.lua.ProviumExtension;
import dev.provium.lua.ResourceScope;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * Creates, once per engine execution, the bindings every Lua file gets beyond the core API (e.g. the VM
 * bindings behind {@code provium.create}). Services they share across files (a VM pool, an image cache) should
 * be registered in {@code engineScope}, which closes when the engine execution ends.
 */
@FunctionalInterface
public interface LuaBindings {

    /** No bindings beyond the core API. */
    LuaBindings NONE = (parameters, engineScope) -> List.of();

    List<ProviumExtension> create(ConfigurationParameters parameters, ResourceScope engineScope);
}
