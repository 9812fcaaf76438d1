package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/** A problem with {@code provium.toml} or a {@code provium.*} configuration parameter; the message says where. */
@API(status = STABLE)
public final class ProviumConfigException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public ProviumConfigException(String message) {
        super(message);
    }

    public ProviumConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
