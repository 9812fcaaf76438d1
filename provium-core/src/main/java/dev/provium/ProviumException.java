package dev.provium;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The root of every exception Provium's API throws: one {@code catch} covers guests that fail to boot or
 * die, agent refusals, configuration mistakes, image and fixture trouble.
 */
@API(status = STABLE)
public class ProviumException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProviumException(String message) {
        super(message);
    }

    public ProviumException(String message, Throwable cause) {
        super(message, cause);
    }
}
