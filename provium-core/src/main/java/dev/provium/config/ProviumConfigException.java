package dev.provium.config;

import dev.provium.ProviumException;

/** A problem with {@code provium.toml} or a {@code provium.*} configuration parameter; the message says where. */
public final class ProviumConfigException extends ProviumException {
    private static final long serialVersionUID = 1L;

    public ProviumConfigException(String message) {
        super(message);
    }

    public ProviumConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
