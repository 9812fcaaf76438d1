package dev.provium.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.config.Profile;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Snapshots of guests taken right after their first boot, kept across runs (the fixture cache's
 * machinery). {@link Vm#boot(BootOptions)} resumes one instead of booting when it may; see
 * {@link BootOptions}.
 */
@API(status = INTERNAL)
public interface BootCache {
    /**
     * The snapshot of a guest of profile booted with options (which have no files), valid for the inputs
     * as they are now; when there is none, {@code save} boots one into the given empty directory, saves it
     * there and returns it, and it is kept.
     */
    VmSnapshot snapshot(Profile profile, BootOptions options, Function<Path, VmSnapshot> save);

    /** Forgets a snapshot this cache gave that did not resume, so the next boot saves a new one. */
    void discard(VmSnapshot snapshot);

    /**
     * Makes the boot cache of a service. The service finds it with {@link java.util.ServiceLoader} (provium-core
     * registers the fixture cache's), so this package does not depend on the one that keeps the snapshots.
     */
    @API(status = INTERNAL)
    interface Provider {
        BootCache create(VmService service);
    }
}
