package dev.provium.vm;

import dev.provium.ProviumException;

/** QEMU could not be started, or misbehaved in a way the caller cannot fix by retrying. */
public class QemuException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public QemuException(String message) {
        super(message);
    }

    public QemuException(String message, Throwable cause) {
        super(message, cause);
    }
}
