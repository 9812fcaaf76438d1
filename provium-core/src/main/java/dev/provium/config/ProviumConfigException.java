package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

import java.nio.file.Path;
import java.util.Optional;

/** A problem with {@code provium.toml} or a {@code provium.*} configuration parameter; the message says where. */
@API(status = STABLE)
public final class ProviumConfigException extends ProviumException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public ProviumConfigException(String message) {
        this(message, null, null, 0);
    }

    public ProviumConfigException(String message, Throwable cause) {
        this(message, cause, null, 0);
    }

    ProviumConfigException(String message, Throwable cause, Path file, int line) {
        super(message, cause);
        this.file = file;
        this.line = line;
    }

    /** The configuration file the problem is in, when it is in one (not in a parameter). */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The line of the problem in {@link #file()}, or 0 when unknown. */
    public int line() {
        return line;
    }
}
