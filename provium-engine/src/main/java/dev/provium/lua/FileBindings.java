package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;

/**
 * Adds bindings to one file's Lua state, e.g. {@code provium.create} and the VM userdata. Installed after the
 * core API, once per file; anything it creates for the file should be registered in
 * {@link FileRunContext#fileScope()} (or {@link FileRunContext#currentScope()} for per-test resources).
 */
@FunctionalInterface
@API(status = INTERNAL)
public interface FileBindings {

    /**
     * @param provium the global {@code provium} table, already holding the core functions
     * @param globals the file's Lua globals
     * @param context the file's run context
     */
    void install(LuaTable provium, Globals globals, FileRunContext context);
}
