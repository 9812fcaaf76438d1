package dev.provium.vm;

import dev.provium.ProviumException;

/** A snapshot directory cannot be used: its layout is unreadable, or a file it needs is missing. */
public final class SnapshotException extends ProviumException {
    private static final long serialVersionUID = 1L;

    SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }

    SnapshotException(String message) {
        super(message);
    }
}
