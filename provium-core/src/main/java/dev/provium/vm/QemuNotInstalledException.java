package dev.provium.vm;

/** The QEMU binary is not on the PATH. */
public class QemuNotInstalledException extends QemuException {
    private static final long serialVersionUID = 1L;

    public QemuNotInstalledException(String message) {
        super(message);
    }
}
