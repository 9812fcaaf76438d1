package dev.provium.lua;

import java.util.List;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;

/**
 * Builds the global {@code provium} table: the core functions ({@code pack}, {@code unpack}), then whatever
 * each {@link FileBindings} adds, e.g. {@code provium.create}, {@code provium.fixture} and
 * {@code provium.shutdown_all} from the VM bindings.
 */
final class ProviumModule {

    private ProviumModule() {
    }

    static LuaTable install(Globals globals, FileRunContext context, List<? extends FileBindings> extensions) {
        LuaTable provium = new LuaTable();
        provium.set("pack", LuaFunctions.named(BinaryFormat.PACK, BinaryFormat::pack));
        provium.set("unpack", LuaFunctions.named(BinaryFormat.UNPACK, BinaryFormat::unpack));
        globals.set("provium", provium);
        for (FileBindings extension : extensions) {
            extension.install(provium, globals, context);
        }
        return provium;
    }
}
