package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/** QEMU could not be started, or misbehaved in a way the caller cannot fix by retrying. */
@API(status = STABLE)
public class QemuException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public QemuException(String message) {
        super(message);
    }

    public QemuException(String message, Throwable cause) {
        super(message, cause);
    }
}
