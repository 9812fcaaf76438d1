package dev.provium.lua;

/** Raised in Lua code that runs past its test's time limit (see {@link FileRunContext#interrupt(String)}). */
final class TimeoutSignal extends ControlSignal {

    TimeoutSignal(String message) {
        super(message);
    }
}
