package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** The QEMU binary is not on the PATH. */
@API(status = STABLE)
public class QemuNotInstalledException extends QemuException {
    private static final long serialVersionUID = 1L;

    public QemuNotInstalledException(String message) {
        super(message);
    }
}
