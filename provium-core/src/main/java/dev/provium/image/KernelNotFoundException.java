package dev.provium.image;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * No usable guest kernel: a missing prerequisite of the machine, not a test failure. The message says what
 * was searched and how to fix it, so it can be reported once for a whole run.
 */
@API(status = EXPERIMENTAL)
public final class KernelNotFoundException extends GuestImageException {

    private static final long serialVersionUID = 1L;

    public KernelNotFoundException(String message) {
        super(message);
    }
}
