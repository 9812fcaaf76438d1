package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/** A VM's memory and vCPUs could not be reserved: the request can never fit, or waiting timed out. */
@API(status = STABLE)
public final class ResourcePoolException extends ProviumException {
    private static final long serialVersionUID = 1L;

    ResourcePoolException(String message) {
        super(message);
    }
}
