package dev.provium.lua;

/** What {@code todo(reason)} raises to stop the running test (or the rest of the file); never a failure. */
final class TodoSignal extends ControlSignal {

    private final String reason;

    TodoSignal(String reason) {
        super("todo: " + reason);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
