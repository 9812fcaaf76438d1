package dev.provium.maven;

import dev.provium.config.ProviumConfig;
import dev.provium.image.Kernel;
import dev.provium.vm.Accelerator;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks that this host can run Provium's guests and prints one table row per check with the fix for each problem:
 * QEMU and its version, the guest kernel with its headers and modules, a static busybox, whether KVM is usable (else
 * TCG), the cache directory's free space and the free memory. Fails when a run cannot work.
 *
 * @since 0.1.0
 */
@Mojo(name = "doctor", requiresProject = false, threadSafe = true)
public class DoctorMojo extends AbstractMojo {

    enum Status { OK, WARN, FAIL }

    record Row(String check, Status status, String found, String fix) {
    }

    /** Below this much free space in the cache directory a fixture snapshot may not fit. */
    static final long LOW_DISK_BYTES = 2L << 30;
    /** The resource pool keeps this much host memory free (see the spec's resource pool). */
    static final long HOST_RESERVE_BYTES = 1536L << 20;
    static final long SMALLEST_GUEST_BYTES = 256L << 20;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** The profile whose kernel is checked. @since 0.1.0 */
    @Parameter(property = "provium.profile", defaultValue = "default")
    private String profile;

    /** The QEMU executable to check. @since 0.1.0 */
    @Parameter(property = "provium.qemu", defaultValue = "qemu-system-x86_64")
    private String qemu;

    /** The busybox the guests get. @since 0.1.0 */
    @Parameter(property = "provium.busybox", defaultValue = "/bin/busybox")
    private File busybox;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        File basedir = new File(session.getExecutionRootDirectory());
        List<Row> rows = new ArrayList<>();
        rows.add(qemu());
        ProviumConfig config = null;
        try {
            config = GuestKernel.config(basedir, session.getUserProperties());
            rows.add(new Row("provium.toml", Status.OK, config.file().map(Path::toString).orElse("none (defaults)"), ""));
        } catch (MojoFailureException e) {
            rows.add(new Row("provium.toml", Status.FAIL, e.getMessage(), "fix the file as the message says"));
        }
        if (config != null) {
            rows.addAll(kernel(config));
        }
        rows.add(busybox());
        rows.add(kvm(config));
        if (config != null) {
            rows.add(cache(config.cacheDir()));
        }
        rows.add(memory());
        print(rows);
        long failures = rows.stream().filter(r -> r.status() == Status.FAIL).count();
        if (failures > 0) {
            throw new MojoFailureException("provium:doctor found " + failures + (failures == 1 ? " problem" : " problems")
                    + " that stop guests from running; the table above says how to fix each");
        }
        getLog().info("provium:doctor: this host can run Provium's guests");
    }

    private Row qemu() {
        try {
            Process process = new ProcessBuilder(qemu, "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return new Row("QEMU", Status.FAIL, qemu + " --version failed: " + output.strip(),
                        "apt-get install qemu-system-x86");
            }
            Matcher version = Pattern.compile("version (\\S+)").matcher(output);
            return new Row("QEMU", Status.OK, qemu + " " + (version.find() ? version.group(1) : output.lines().findFirst().orElse("")), "");
        } catch (IOException e) {
            return new Row("QEMU", Status.FAIL, qemu + " not found on PATH", "apt-get install qemu-system-x86");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Row("QEMU", Status.FAIL, "interrupted", "");
        }
    }

    private List<Row> kernel(ProviumConfig config) {
        List<Row> rows = new ArrayList<>();
        Kernel kernel;
        try {
            kernel = GuestKernel.locate(config, profile);
        } catch (MojoFailureException e) {
            rows.add(new Row("guest kernel", Status.FAIL, e.getMessage(),
                    "apt-get install linux-image-amd64 linux-headers-amd64, or set the profile's kernel / PROVIUM_KERNEL"));
            return rows;
        }
        rows.add(new Row("guest kernel", Status.OK, kernel.version() + " (" + kernel.image() + ", profile " + profile + ")", ""));
        Optional<Path> modules = kernel.modulesDir();
        if (modules.isPresent() && Files.isRegularFile(modules.get().resolve("modules.dep"))) {
            rows.add(new Row("kernel modules", Status.OK, modules.get().toString(), ""));
        } else {
            rows.add(new Row("kernel modules", Status.WARN, "no /lib/modules/" + kernel.version() + "/modules.dep",
                    "virtio drivers must then be built in; Debian: apt-get install linux-image-" + kernel.version()));
        }
        try {
            rows.add(new Row("kernel headers", Status.OK, GuestKernel.headers(kernel).toString(), ""));
        } catch (MojoFailureException e) {
            rows.add(new Row("kernel headers", Status.WARN, "none for " + kernel.version() + " (provium:module cannot build)",
                    "apt-get install linux-headers-" + kernel.version()));
        }
        return rows;
    }

    private Row busybox() {
        Path path = busybox.toPath();
        if (!Files.isRegularFile(path)) {
            return new Row("busybox", Status.FAIL, path + " does not exist", "apt-get install busybox-static");
        }
        try {
            if (hasInterpreter(path)) {
                return new Row("busybox", Status.FAIL, path + " is dynamically linked", "apt-get install busybox-static");
            }
        } catch (IOException e) {
            return new Row("busybox", Status.FAIL, "cannot read " + path + ": " + e.getMessage(), "apt-get install busybox-static");
        }
        return new Row("busybox", Status.OK, path + " (static)", "");
    }

    /** Whether a 64-bit little-endian ELF file asks for a program interpreter (PT_INTERP), i.e. is dynamic. */
    static boolean hasInterpreter(Path elf) throws IOException {
        try (FileChannel channel = FileChannel.open(elf)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2) {
                throw new IOException("not a 64-bit ELF executable");
            }
            long phoff = header.getLong(0x20);
            int phentsize = Short.toUnsignedInt(header.getShort(0x36));
            int phnum = Short.toUnsignedInt(header.getShort(0x38));
            ByteBuffer entry = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                entry.clear();
                channel.read(entry, phoff + (long) i * phentsize);
                if (entry.getInt(0) == 3) {
                    return true;
                }
            }
            return false;
        }
    }

    private Row kvm(ProviumConfig config) {
        Path devKvm = Path.of("/dev/kvm");
        String why = null;
        if (!Files.exists(devKvm)) {
            why = "/dev/kvm does not exist";
        } else if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            why = "/dev/kvm is not readable and writable for this user";
        } else {
            try {
                if (!Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b").matcher(Files.readString(Path.of("/proc/cpuinfo"))).find()) {
                    why = "the CPU advertises neither vmx nor svm";
                }
            } catch (IOException e) {
                why = "cannot read /proc/cpuinfo";
            }
        }
        if (why == null && config != null) {
            try {
                StringBuilder announced = new StringBuilder();
                if (Accelerator.choose(config.accel(), announced::append) != Accelerator.KVM) {
                    why = announced.length() > 0 ? announced.toString().replaceFirst("^provium: ", "")
                            : "a test guest did not run under KVM, or accel is set to tcg";
                }
            } catch (RuntimeException e) {
                why = e.getMessage();
            }
        }
        return why == null ? new Row("KVM", Status.OK, "usable: guests run under KVM", "")
                : new Row("KVM", Status.WARN, "not usable: " + why + "; guests run under TCG (slower, works)",
                "on bare metal: enable virtualization in the firmware, load kvm_intel/kvm_amd, add the user to group kvm");
    }

    private Row cache(Path cacheDir) {
        Path existing = cacheDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return new Row("cache dir", Status.FAIL, cacheDir + ": no existing parent", "set cache_dir in [provium]");
        }
        try {
            FileStore store = Files.getFileStore(existing);
            long free = store.getUsableSpace();
            Status status = free < LOW_DISK_BYTES ? Status.WARN : Status.OK;
            return new Row("cache dir", status, cacheDir + " (" + bytes(free) + " free)",
                    status == Status.OK ? "" : "free disk space, or set cache_dir / fixture_cache_size in [provium]");
        } catch (IOException e) {
            return new Row("cache dir", Status.FAIL, cacheDir + ": " + e.getMessage(), "set cache_dir in [provium]");
        }
    }

    private Row memory() {
        try {
            Matcher available = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
            if (!available.find()) {
                return new Row("free memory", Status.WARN, "MemAvailable not in /proc/meminfo", "set provium.memory");
            }
            long bytes = Long.parseLong(available.group(1)) * 1024;
            if (bytes < HOST_RESERVE_BYTES + SMALLEST_GUEST_BYTES) {
                return new Row("free memory", Status.FAIL, bytes(bytes) + " available; the pool keeps " + bytes(HOST_RESERVE_BYTES)
                        + " for the host, leaving too little for a guest",
                        "free memory, or set a fixed budget: provium.memory (e.g. -Dprovium.memory=1G)");
            }
            return new Row("free memory", Status.OK, bytes(bytes) + " available (" + bytes(bytes - HOST_RESERVE_BYTES)
                    + " for guests)", "");
        } catch (IOException e) {
            return new Row("free memory", Status.WARN, "cannot read /proc/meminfo", "set provium.memory");
        }
    }

    private void print(List<Row> rows) {
        int check = Math.max(5, rows.stream().mapToInt(r -> r.check().length()).max().orElse(0));
        int found = Math.min(90, Math.max(5, rows.stream().mapToInt(r -> r.found().length()).max().orElse(0)));
        String format = "%-" + check + "s  %-6s %-" + found + "s  %s";
        getLog().info(String.format(format, "check", "status", "found", "fix"));
        for (Row row : rows) {
            String line = String.format(format, row.check(), row.status(), row.found(), row.fix()).stripTrailing();
            switch (row.status()) {
                case FAIL -> getLog().error(line);
                case WARN -> getLog().warn(line);
                default -> getLog().info(line);
            }
        }
    }

    static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }
}
