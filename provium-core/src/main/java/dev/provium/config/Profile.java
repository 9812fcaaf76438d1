package dev.provium.config;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A guest profile from {@code [profile.NAME]}. Empty fields mean the built-in defaults: the newest
 * installed kernel, no initrd of the user's (the Provium overlay alone), the agent as PID 1.
 *
 * @param kernel absolute path of an existing kernel image
 * @param initrd absolute path of an existing initramfs that the Provium overlay is appended to
 * @param init   the guest's real init, started by the agent (e.g. "/sbin/init")
 * @param append extra kernel command line, possibly empty
 */
@API(status = STABLE)
public record Profile(String name, Optional<Path> kernel, Optional<Path> initrd, Optional<String> init, String append) {
    static Profile builtInDefault() {
        return new Profile(Constants.DEFAULT_PROFILE, Optional.empty(), Optional.empty(), Optional.empty(), "");
    }
}
