package dev.provium.config;

/** A problem with {@code provium.toml} or a {@code provium.*} configuration parameter; the message says where. */
public final class ProviumConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProviumConfigException(String message) {
        super(message);
    }

    public ProviumConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
