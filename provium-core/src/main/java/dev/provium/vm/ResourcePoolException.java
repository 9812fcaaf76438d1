package dev.provium.vm;

/** A VM's memory and vCPUs could not be reserved: the request can never fit, or waiting timed out. */
public final class ResourcePoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResourcePoolException(String message) {
        super(message);
    }
}
