package dev.provium;

import static org.apiguardian.api.API.Status.STABLE;

import dev.provium.config.ProviumConfig;

import org.apiguardian.api.API;

/**
 * The one way out for what users read: progress lines, the accelerator chosen, fixtures built or resumed,
 * kept console logs. Diagnostics for Provium's own developers go to SLF4J instead.
 */
@API(status = STABLE)
@FunctionalInterface
public interface Notices {

    void notice(String line);

    /** Lines to standard output, one at a time whatever the thread. */
    static Notices standardOutput() {
        return line -> {
            synchronized (System.out) {
                System.out.println(line);
            }
        };
    }

    static Notices none() {
        return line -> {
        };
    }

    /** Standard output, unless the configuration turns console output off ({@code console_progress = false}). */
    static Notices of(ProviumConfig config) {
        return config.consoleProgress() ? standardOutput() : none();
    }
}
