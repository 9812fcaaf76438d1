package dev.provium.image;

import dev.provium.Notices;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;


/**
 * The reusable part of every guest's initramfs: the agent as {@code /init}, busybox and its applet links,
 * the kernel modules and their load-order manifest, the directories the agent mounts onto, and
 * {@code /dev/console}. Cached on disk under a hash of everything it contains, so one file serves every
 * boot with the same agent, busybox, kernel and module list.
 */
final class BaseOverlay {

    /** The manifest the agent reads: one absolute module path per line, in load order. */
    static final String MODULES_MANIFEST = "/etc/provium/modules";

    /** Bump when the layout changes, so cached overlays of an older layout are not reused. */
    private static final String FORMAT = "base-overlay-v1";


    /** Directories every guest has, with their usual modes; the kernel applies these modes on unpacking. */
    private static final Map<String, Integer> DIRECTORIES = standardDirectories();

    private record Module(String entryName, Path hostFile, byte[] raw) {
    }

    private final String kernelVersion;
    private final byte[] agent;
    private final byte[] busybox;
    private final Path busyboxPath;
    private final List<Module> modules;

    private BaseOverlay(String kernelVersion, byte[] agent, byte[] busybox, Path busyboxPath,
            List<Module> modules) {
        this.kernelVersion = kernelVersion;
        this.agent = agent;
        this.busybox = busybox;
        this.busyboxPath = busyboxPath;
        this.modules = modules;
    }

    /** Checks the inputs and reads them; nothing is written yet. */
    static BaseOverlay plan(GuestImageSpec spec, Notices notices) {
        Kernel kernel = spec.kernel();
        Busybox.requireStatic(spec.busybox());
        requireBootableAgent(spec.agent());
        List<Module> modules = new ArrayList<>();
        Optional<Path> modulesDir = kernel.modulesDir();
        if (modulesDir.isPresent()) {
            for (Path file : ModuleResolver.resolve(modulesDir.get(), spec.modules())) {
                modules.add(new Module(moduleEntryName(kernel.version(), modulesDir.get(), file), file,
                        read(file, "kernel module")));
            }
        } else if (!spec.modules().isEmpty()) {
            notices.notice("provium: kernel " + kernel.image() + " has no modules directory; assuming " + spec.modules()
                    + " are built in");
        }
        return new BaseOverlay(kernel.version(), read(spec.agent(), "agent"), read(spec.busybox(), "busybox"),
                spec.busybox(), List.copyOf(modules));
    }

    /** The overlay's file in {@code cacheDir}, written now unless an identical one is there already. */
    Path cachedIn(Path cacheDir) {
        Path file = cacheDir.resolve("base-" + contentKey() + ".cpio");
        if (Files.isRegularFile(file)) {
            return file;
        }
        List<String> applets = Busybox.applets(busyboxPath);
        try {
            CacheFiles.publish(file, temporary -> {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    write(out, applets);
                }
            });
        } catch (IOException e) {
            throw new GuestImageException("Cannot write the guest image overlay " + file + ": " + e, e);
        }
        return file;
    }

    /** Entry names of the directories this overlay creates, so a later archive need not repeat them. */
    Set<String> directories() {
        Set<String> names = new LinkedHashSet<>(DIRECTORIES.keySet());
        for (Module module : modules) {
            String name = module.entryName();
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                names.add(name.substring(0, slash));
            }
        }
        return names;
    }

    String manifest() {
        StringBuilder text = new StringBuilder();
        for (Module module : modules) {
            text.append('/').append(module.entryName()).append('\n');
        }
        return text.toString();
    }

    private void write(OutputStream out, List<String> applets) throws IOException {
        CpioWriter cpio = new CpioWriter(out, Set.of());
        for (Map.Entry<String, Integer> directory : DIRECTORIES.entrySet()) {
            cpio.directory(directory.getKey(), directory.getValue());
        }
        cpio.characterDevice("dev/console", 0600, 5, 1);
        cpio.file("init", 0755, 0, agent);
        cpio.file("bin/busybox", 0755, 0, busybox);
        for (String applet : applets) {
            String name = applet.substring(1);
            if (!cpio.contains(name)) {
                cpio.symlink(name, "/bin/busybox");
            }
        }
        for (Module module : modules) {
            cpio.file(module.entryName(), 0644, 0, decompressed(module));
        }
        cpio.file(MODULES_MANIFEST.substring(1), 0644, 0, manifest().getBytes(StandardCharsets.UTF_8));
        cpio.finish();
    }

    private String contentKey() {
        MessageDigest digest = CacheFiles.sha256();
        update(digest, FORMAT.getBytes(StandardCharsets.UTF_8));
        update(digest, kernelVersion.getBytes(StandardCharsets.UTF_8));
        update(digest, agent);
        update(digest, busybox);
        for (Module module : modules) {
            update(digest, module.entryName().getBytes(StandardCharsets.UTF_8));
            update(digest, module.raw());
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    /** Length-prefixed, so different splits of the same bytes hash differently. */
    private static void update(MessageDigest digest, byte[] part) {
        digest.update(Long.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(part);
    }

    private static byte[] decompressed(Module module) throws IOException {
        Optional<Compression> compression = Compression.forModuleFile(module.hostFile().getFileName().toString());
        if (compression.isEmpty()) {
            return module.raw();
        }
        try (InputStream in = compression.get().decompress(new ByteArrayInputStream(module.raw()))) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new GuestImageException("Cannot decompress kernel module " + module.hostFile() + ": " + e, e);
        }
    }

    /** "/lib/modules/V/kernel/drivers/char/virtio_console.ko.xz" → "lib/modules/V/kernel/.../virtio_console.ko". */
    private static String moduleEntryName(String version, Path modulesDir, Path file) {
        String relative = file.startsWith(modulesDir)
                ? modulesDir.relativize(file).toString()
                : file.getFileName().toString();
        if (Compression.forModuleFile(relative).isPresent()) {
            relative = relative.substring(0, relative.lastIndexOf('.'));
        }
        String name = "lib/modules/" + version + "/" + relative;
        return GuestPaths.entryName("/" + name, "module file " + file);
    }

    private static void requireBootableAgent(Path agent) {
        Busybox.requireRegularFile(agent, "Agent binary");
        Optional<Elf> elf;
        try {
            elf = Elf.read(agent);
        } catch (IOException e) {
            throw new GuestImageException("Cannot read agent binary " + agent + ": " + e.getMessage(), e);
        }
        if (elf.isPresent() && elf.get().interpreter().isPresent()) {
            throw new GuestImageException("Agent binary " + agent + " is dynamically linked (interpreter "
                    + elf.get().interpreter().get() + "), but as /init it runs without a C library: build it"
                    + " statically");
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GuestImageException("Cannot read " + what + " " + file + ": " + e, e);
        }
    }

    private static Map<String, Integer> standardDirectories() {
        Map<String, Integer> modes = new LinkedHashMap<>();
        for (String name : List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "etc", "etc/provium",
                "lib", "lib/modules")) {
            modes.put(name, 0755);
        }
        modes.put("proc", 0555);
        modes.put("sys", 0555);
        modes.put("tmp", 01777);
        return modes;
    }
}
