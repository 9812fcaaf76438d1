package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

/** A snapshot directory cannot be used: its layout is unreadable, or a file it needs is missing. */
@API(status = STABLE)
public final class SnapshotException extends ProviumException {
    private static final long serialVersionUID = 1L;

    SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }

    SnapshotException(String message) {
        super(message);
    }
}
