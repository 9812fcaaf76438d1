package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.List;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * One Lua state for one test file: the standard libraries (with the debug library, for tracebacks), Provium's
 * globals ({@code provium}, {@code test}, {@code todo}, {@code assert}, {@code assert_eq},
 * {@code assert_contains}), and file loading relative to the project. Not thread-safe: a file runs on one thread.
 */
@API(status = INTERNAL)
public final class LuaRuntime {

    private final Globals globals;
    private final FileRunContext context;
    private final ScriptLoader loader;

    private LuaRuntime(Globals globals, FileRunContext context, ScriptLoader loader) {
        this.globals = globals;
        this.context = context;
        this.loader = loader;
    }

    /**
     * @param context    the file's paths and resource scopes
     * @param tests      receives the script's {@code test()} calls
     * @param extensions add bindings beyond the core API, in order
     */
    public static LuaRuntime create(FileRunContext context, TestHandler tests,
            List<? extends FileBindings> extensions) {
        Globals globals = JsePlatform.debugGlobals();
        CallSite callSite = new CallSite(globals);
        ErrorFunctions.install(globals, callSite);
        Assertions.install(globals, callSite);
        TestFunctions.install(globals, callSite, tests);
        ScriptLoader loader = ScriptLoader.install(globals, context);
        LuaTable provium = ProviumModule.install(globals, context, extensions);
        TestFunctions.installTimeout(provium, tests);
        TapFunctions.install(provium, callSite, tests);
        InterruptHook.install(globals, context);
        return new LuaRuntime(globals, context, loader);
    }

    public Globals globals() {
        return globals;
    }

    /**
     * Compiles and runs the script's top-level code; {@code test()} bodies run when it reaches them. Returns
     * the script's first return value (nil when it returns nothing).
     *
     * @throws org.luaj.vm2.LuaError when the script fails to compile or its top-level code raises an error
     *         (map it with {@link LuaFailures})
     */
    public LuaValue run() {
        return loader.load(context.script(), context.chunkName()).call();
    }
}
