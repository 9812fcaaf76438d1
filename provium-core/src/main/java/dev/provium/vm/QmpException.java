package dev.provium.vm;

import dev.provium.ProviumException;

import java.util.Optional;

/** A QMP command failed, got no reply in time, or the connection is gone. */
final class QmpException extends ProviumException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;
    private final boolean connectionClosed;

    QmpException(String message, String errorClass, boolean connectionClosed, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
        this.connectionClosed = connectionClosed;
    }

    static QmpException commandFailed(String command, String errorClass, String description) {
        return new QmpException("QMP command '" + command + "' failed: " + errorClass + ": " + description, errorClass, false, null);
    }

    static QmpException closed(String message, Throwable cause) {
        return new QmpException(message, null, true, cause);
    }

    static QmpException other(String message, Throwable cause) {
        return new QmpException(message, null, false, cause);
    }

    /** QEMU's error class (e.g. "CommandNotFound", "GenericError") when QEMU answered with an error. */
    public Optional<String> errorClass() {
        return Optional.ofNullable(errorClass);
    }

    /** True when the failure is that the QMP connection closed (usually: QEMU exited). */
    public boolean connectionClosed() {
        return connectionClosed;
    }
}
