package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.ProviumException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A guest could not be booted or stopped serving: QEMU exited, the kernel panicked, the agent went
 * away or did not answer in time. The message says why and ends with the guest console's last lines
 * and the path of the kept console log.
 */
@API(status = STABLE)
public class VmException extends ProviumException {
    private static final long serialVersionUID = 1L;

    private final transient Path consoleLog;
    private final String consoleTail;

    VmException(String reason, String consoleTail, Path consoleLog, Throwable cause) {
        super(compose(reason, consoleTail, consoleLog), cause);
        this.consoleLog = consoleLog;
        this.consoleTail = consoleTail;
    }

    /** The console log file, when it was kept. */
    public Optional<Path> consoleLog() {
        return Optional.ofNullable(consoleLog);
    }

    /** The last lines the guest printed on its console (may be empty). */
    public String consoleTail() {
        return consoleTail;
    }

    private static String compose(String reason, String tail, Path log) {
        StringBuilder message = new StringBuilder(reason);
        if (!tail.isBlank()) {
            message.append("\n--- guest console (last lines) ---\n").append(tail.stripTrailing()).append("\n---");
        }
        if (log != null) {
            message.append("\nconsole log: ").append(log);
        }
        return message.toString();
    }
}
