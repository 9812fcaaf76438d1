package dev.provium.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * An error that stops Lua code for the engine's sake rather than the script's ({@code todo()}, a timeout):
 * {@code pcall} and {@code xpcall} let it pass instead of catching it.
 */
abstract class ControlSignal extends LuaError {

    ControlSignal(String message) {
        super(LuaValue.valueOf(message));
    }
}
