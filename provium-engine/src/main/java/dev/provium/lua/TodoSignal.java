package dev.provium.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/** What {@code todo(reason)} raises to stop the running test (or the rest of the file); never a failure. */
final class TodoSignal extends LuaError {

    private final String reason;

    TodoSignal(String reason) {
        super(LuaValue.valueOf("todo: " + reason));
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
