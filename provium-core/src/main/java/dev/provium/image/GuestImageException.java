package dev.provium.image;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/**
 * A guest image could not be prepared: a bad input (path, kernel file, module name, busybox build) or an
 * I/O failure while building. The message names what was wrong and, where there is one, the fix.
 */
@API(status = EXPERIMENTAL)
public class GuestImageException extends ProviumException {

    private static final long serialVersionUID = 1L;

    public GuestImageException(String message) {
        super(message);
    }

    public GuestImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
