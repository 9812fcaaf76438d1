package dev.provium.image;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What goes into a guest's initramfs.
 *
 * @param kernel     the kernel the image is for (its version and modules directory)
 * @param agent      the agent binary, installed as {@code /init}
 * @param busybox    a statically linked busybox, installed as {@code /bin/busybox} with its applet links
 * @param modules    kernel module names to load at boot (dependencies are added); ignored, with a log line,
 *                   when the kernel has no modules directory
 * @param userInitrd the profile's initrd, unpacked before the overlay; never modified
 * @param files      guest path → host file, injected with the host file's mode (iterated sorted by path)
 */
@API(status = INTERNAL)
public record GuestImageSpec(Kernel kernel, Path agent, Path busybox, List<String> modules,
                             Optional<Path> userInitrd, Map<String, Path> files) {

    /** Where busybox-static installs its binary on Debian. */
    public static final Path DEFAULT_BUSYBOX = Path.of("/bin/busybox");

    /** What the agent's virtio-serial port needs on a modular kernel (Debian builds these as modules). */
    public static final List<String> TRANSPORT_MODULES = List.of("virtio_pci", "virtio_console");

    /** What {@code disks} (virtio block devices) need in addition. */
    public static final List<String> DISK_MODULES = List.of("virtio_blk");

    public GuestImageSpec {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(busybox, "busybox");
        modules = List.copyOf(modules);
        Objects.requireNonNull(userInitrd, "userInitrd");
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The default guest: the transport modules, the default busybox, no initrd and no files. */
    public static GuestImageSpec of(Kernel kernel, Path agent) {
        return new GuestImageSpec(kernel, agent, DEFAULT_BUSYBOX, TRANSPORT_MODULES, Optional.empty(), Map.of());
    }

    public GuestImageSpec withModules(List<String> moduleNames) {
        return new GuestImageSpec(kernel, agent, busybox, moduleNames, userInitrd, files);
    }

    public GuestImageSpec withUserInitrd(Optional<Path> initrd) {
        return new GuestImageSpec(kernel, agent, busybox, modules, initrd, files);
    }

    public GuestImageSpec withFiles(Map<String, Path> injected) {
        return new GuestImageSpec(kernel, agent, busybox, modules, userInitrd, injected);
    }

    public GuestImageSpec withBusybox(Path busyboxBinary) {
        return new GuestImageSpec(kernel, agent, busyboxBinary, modules, userInitrd, files);
    }
}
