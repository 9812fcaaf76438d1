package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.Notices;
import dev.provium.config.MemorySize;
import dev.provium.internal.PrivatePaths;
import dev.provium.internal.agent.AgentBinary;
import dev.provium.config.Constants;
import dev.provium.config.Profile;
import dev.provium.config.ProviumConfig;
import dev.provium.image.GuestImageBuilder;
import dev.provium.image.Kernel;
import dev.provium.image.KernelLocator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Creates guests from the profiles of one configuration and owns what they share: the resource pool,
 * the kernel and initramfs caches, the extracted agent and the accelerator choice. Closing it kills
 * every guest it created that is still running.
 */
@API(status = STABLE)
public final class VmService implements AutoCloseable {
    private final ProviumConfig config;
    private final ResourcePool pool;
    private final KernelLocator kernels = new KernelLocator();
    private final GuestImageBuilder images;
    private final Notices notices;
    private final Set<Vm> live = ConcurrentHashMap.newKeySet();
    private final Prestarts prestarts;
    private final BootCache bootCache;
    private volatile Path agent;

    private VmService(ProviumConfig config, ResourcePool pool, Notices notices) {
        this.config = config;
        this.pool = pool;
        this.notices = notices;
        this.images = new GuestImageBuilder(config.cacheDir().resolve("images"), notices);
        this.prestarts = new Prestarts(pool, Prestarts.MAX);
        this.bootCache = ServiceLoader.load(BootCache.Provider.class, VmService.class.getClassLoader()).findFirst()
                .map(provider -> provider.create(this)).orElse(null);
    }

    /** A service whose notices go to standard output, unless {@code console_progress = false}. */
    public static VmService create(ProviumConfig config) {
        return create(config, Notices.of(config));
    }

    /**
     * A service for config. Its cache directory must be private (see {@link PrivatePaths}); run
     * directories left by processes that are gone (a JVM killed with SIGKILL) are deleted first.
     *
     * @throws dev.provium.config.ProviumConfigException when the cache directory belongs to another user or
     *                                                   others may write to it
     */
    public static VmService create(ProviumConfig config, Notices notices) {
        PrivatePaths.ensure(config.cacheDir(), "the cache directory", Constants.CACHE_DIR);
        List<Path> swept = RunDirectory.sweepStale();
        if (!swept.isEmpty()) {
            notices.notice("provium: removed " + swept.size() + " run director" + (swept.size() == 1 ? "y" : "ies")
                    + " left by processes that are gone (killed before they could clean up): "
                    + swept.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
        return new VmService(config, ResourcePool.forConfig(config), notices);
    }

    /** Where this service and what is built on it (fixtures, bindings) tell users what happens. */
    public Notices notices() {
        return notices;
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
     * A guest started from a snapshot (see {@link Vm#snapshotAndStop(Path)}), running when this returns. It has
     * the snapshot's profile, which must still exist in this configuration.
     *
     * @throws SnapshotException when the state file is not the one saved (its SHA-256 differs)
     * @throws VmException       when QEMU cannot load the state or the agent does not answer
     */
    public Vm resume(VmSnapshot snapshot) {
        return resume(snapshot, LogPlace.DEFAULT_GROUP);
    }

    /** Like {@link #resume(VmSnapshot)}, with the guest's kept logs under {@code logGroup} (see {@link Vm#logGroup}). */
    public Vm resume(VmSnapshot snapshot, String logGroup) {
        snapshot.verify();
        Vm vm = new Vm(this, config.profile(snapshot.profile()));
        vm.logGroup(logGroup);
        vm.resume(snapshot);
        return vm;
    }

    /** The kernel a guest of this profile boots (the profile's, PROVIUM_KERNEL, or the newest installed). */
    public Kernel kernel(Profile profile) {
        return kernels.locate(profile.kernel());
    }

    /** The accelerator guests run under (decided once per JVM and mode). */
    /** The {@code qemu-system-x86_64} on the PATH that guests run with, if one is installed. */
    public static Optional<Path> installedQemu() {
        return QemuCommandLine.installedBinary();
    }

    public Accelerator accelerator() {
        return Accelerator.choose(config.accel(), notices);
    }


    /** Kills every guest created here that is still running, and the QEMUs started ahead. */
    @Override
    public void close() {
        try {
            for (Vm vm : List.copyOf(live)) {
                vm.kill();
            }
        } finally {
            prestarts.close();
        }
    }

    Prestarts prestarts() {
        return prestarts;
    }

    /** The boot cache; empty when none is installed (every boot is cold then). */
    Optional<BootCache> bootCache() {
        return Optional.ofNullable(bootCache);
    }

    /**
     * A lease for one guest. QEMUs started ahead give their room back when a guest would otherwise wait:
     * they only exist to make resumes faster.
     */
    ResourcePool.Lease acquire(MemorySize memory, int cpus, Duration timeout) throws InterruptedException {
        try {
            return pool.acquire(memory, cpus, Duration.ZERO);
        } catch (ResourcePoolException notNow) {
            prestarts.releaseAll();
            return pool.acquire(memory, cpus, timeout);
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
