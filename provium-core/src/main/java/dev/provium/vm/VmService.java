package dev.provium.vm;

import dev.provium.agent.AgentBinary;
import dev.provium.config.Constants;
import dev.provium.config.Profile;
import dev.provium.config.ProviumConfig;
import dev.provium.image.GuestImageBuilder;
import dev.provium.image.Kernel;
import dev.provium.image.KernelLocator;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates guests from the profiles of one configuration and owns what they share: the resource pool,
 * the kernel and initramfs caches, the extracted agent and the accelerator choice. Closing it kills
 * every guest it created that is still running.
 */
public final class VmService implements AutoCloseable {
    private final ProviumConfig config;
    private final ResourcePool pool;
    private final KernelLocator kernels = new KernelLocator();
    private final GuestImageBuilder images;
    private final Set<Vm> live = ConcurrentHashMap.newKeySet();
    private volatile Path agent;

    private VmService(ProviumConfig config, ResourcePool pool) {
        this.config = config;
        this.pool = pool;
        this.images = new GuestImageBuilder(config.cacheDir().resolve("images"));
    }

    public static VmService create(ProviumConfig config) {
        return new VmService(config, ResourcePool.forConfig(config));
    }

    public ProviumConfig config() {
        return config;
    }

    /** A guest of the named profile, not booted; an unknown name is an error listing the known ones. */
    public Vm create(String profileName) {
        Profile profile = config.profile(profileName);
        return new Vm(this, profile);
    }

    /** A guest of the {@code default} profile, not booted. */
    public Vm create() {
        return create(Constants.DEFAULT_PROFILE);
    }

    /**
     * A guest started from a snapshot (see {@link Vm#snapshot(Path)}), running when this returns. It has
     * the snapshot's profile, which must still exist in this configuration.
     *
     * @throws VmException when QEMU cannot load the state or the agent does not answer
     */
    public Vm resume(VmSnapshot snapshot) {
        Vm vm = new Vm(this, config.profile(snapshot.profile()));
        vm.resume(snapshot);
        return vm;
    }

    /** The kernel a guest of this profile boots (the profile's, PROVIUM_KERNEL, or the newest installed). */
    public Kernel kernel(Profile profile) {
        return kernels.locate(profile.kernel());
    }

    /** The accelerator guests run under (decided once per JVM and mode). */
    public Accelerator accelerator() {
        return Accelerator.choose(config.accel());
    }


    /** Kills every guest created here that is still running. */
    @Override
    public void close() {
        for (Vm vm : List.copyOf(live)) {
            vm.kill();
        }
    }

    ResourcePool pool() {
        return pool;
    }

    KernelLocator kernels() {
        return kernels;
    }

    GuestImageBuilder images() {
        return images;
    }

    Path kernelCache() {
        return config.cacheDir().resolve("kernels");
    }

    /**
     * The packaged agent, extracted once per service into the cache, in a directory named by its content
     * (an atomic replace, so JVMs with the same agent may race; JVMs with different ones do not meet).
     */
    Path agent() {
        Path extracted = agent;
        if (extracted == null) {
            synchronized (this) {
                if (agent == null) {
                    agent = AgentBinary.extractTo(config.cacheDir().resolve("agent").resolve(AgentBinary.contentId()));
                }
                extracted = agent;
            }
        }
        return extracted;
    }

    void started(Vm vm) {
        live.add(vm);
    }

    void stopped(Vm vm) {
        live.remove(vm);
    }
}
