package dev.provium.vm;

import dev.provium.config.MemorySize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place that builds QEMU's argv for a Provium guest: no default devices, no network, no
 * display; serial console to a file, the agent on a virtio-serial port named {@value #AGENT_PORT_NAME}
 * behind a Unix socket, QMP on another, everything inside the VM's {@link RunDirectory}.
 */
final class QemuCommandLine {
    public static final String DEFAULT_BINARY = "qemu-system-x86_64";
    public static final String AGENT_PORT_NAME = "provium.agent";
    /** Always on the kernel command line, before the profile's and the caller's additions. */
    /**
     * {@code no_timer_check}: under TCG on a loaded host (vCPUs are overcommitted) the kernel's check that the
     * IO-APIC timer ticks can fail and panic the boot ("IO-APIC + timer doesn't work!"); a VM does not need it.
     */
    public static final String BASE_KERNEL_ARGS = "console=ttyS0 panic=-1 rdinit=/init quiet no_timer_check";
    static final int MAX_CPUS = 255;
    /** The id of guest RAM: QEMU's name for {@code -m}'s RAM block, so states move between both kinds. */
    static final String RAM_ID = "pc.ram";

    private final RunDirectory run;
    private String binary = DEFAULT_BINARY;
    private Accelerator accelerator;
    private MemorySize memory = MemorySize.ofMebibytes(512);
    private int cpus = 1;
    private Path kernel;
    private Path initrd;
    private final List<String> kernelArgs = new ArrayList<>();
    private final List<Disk> disks = new ArrayList<>();
    private String incoming;
    private Path memoryFile;
    private boolean memoryShared;
    private boolean memoryReadOnly;
    private boolean paused;

    private QemuCommandLine(RunDirectory run) {
        this.run = Objects.requireNonNull(run, "run");
    }

    /** Where {@value #DEFAULT_BINARY} is installed (found on PATH), if it is. */
    public static Optional<Path> installedBinary() {
        return Executables.find(DEFAULT_BINARY);
    }

    /** A command line whose sockets and logs live in run. Defaults: 512M, 1 vCPU. */
    public static QemuCommandLine forRun(RunDirectory run) {
        return new QemuCommandLine(run);
    }

    public QemuCommandLine binary(String binary) {
        this.binary = Objects.requireNonNull(binary, "binary");
        return this;
    }

    public QemuCommandLine accelerator(Accelerator accelerator) {
        this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
        return this;
    }

    public QemuCommandLine memory(MemorySize memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
        return this;
    }

    /** Memory like "512M" or "1G"; anything else is an IllegalArgumentException that quotes it. */
    public QemuCommandLine memory(String memory) {
        return memory(MemorySize.parse(memory));
    }

    public QemuCommandLine cpus(int cpus) {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be between 1 and " + MAX_CPUS + ", got " + cpus);
        }
        this.cpus = cpus;
        return this;
    }

    public QemuCommandLine kernel(Path kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        return this;
    }

    public QemuCommandLine initrd(Path initrd) {
        this.initrd = Objects.requireNonNull(initrd, "initrd");
        return this;
    }

    /** Appends to the kernel command line (after {@link #BASE_KERNEL_ARGS}); blank text is ignored. */
    public QemuCommandLine kernelArgs(String args) {
        if (args != null && !args.isBlank()) {
            kernelArgs.add(args.strip());
        }
        return this;
    }

    /** Attaches a disk; disks appear as /dev/vda, /dev/vdb, ... in this order. */
    public QemuCommandLine disk(Disk disk) {
        disks.add(Objects.requireNonNull(disk, "disk"));
        return this;
    }

    /**
     * Keeps guest RAM in {@code file} (created sparse when missing): {@code shared} maps it so the guest's
     * writes reach the file (to make a template), else the guest gets a private copy-on-write mapping of it
     * (a copy of a template; {@code readOnly} opens the file read-only, QEMU 8.2 and later). The backend is
     * named {@value #RAM_ID}, the name of {@code -m}'s RAM, so a state saved from a guest without a file
     * loads into one with it.
     */
    public QemuCommandLine memoryFile(Path file, boolean shared, boolean readOnly) {
        if (shared && readOnly) {
            throw new IllegalArgumentException("a template being written cannot be mapped read-only");
        }
        this.memoryFile = Objects.requireNonNull(file, "file");
        this.memoryShared = shared;
        this.memoryReadOnly = readOnly;
        return this;
    }

    /** Starts with the vCPUs stopped ({@code -S}): a loaded state then stays paused. */
    public QemuCommandLine paused() {
        this.paused = true;
        return this;
    }

    /** Starts QEMU waiting for migration state from uri (e.g. "exec:cat FILE") to resume a snapshot. */
    public QemuCommandLine incoming(String uri) {
        this.incoming = Objects.requireNonNull(uri, "uri");
        return this;
    }

    public RunDirectory run() {
        return run;
    }

    /**
     * The argv, binary first.
     *
     * @throws IllegalStateException    when the accelerator or kernel is not set
     * @throws IllegalArgumentException when the kernel, initrd or a disk is not a readable file
     */
    public List<String> build() {
        if (accelerator == null) {
            throw new IllegalStateException("QEMU command line: no accelerator set");
        }
        if (kernel == null) {
            throw new IllegalStateException("QEMU command line: no kernel set");
        }
        requireFile("kernel", kernel);
        if (initrd != null) {
            requireFile("initrd", initrd);
        }
        disks.forEach(disk -> requireFile("disk", disk.path()));

        List<String> argv = new ArrayList<>(List.of(binary,
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-accel", accelerator.qemuName(), "-cpu", accelerator.cpuModel(),
                "-m", memory.toString(), "-smp", Integer.toString(cpus),
                "-kernel", kernel.toString()));
        if (initrd != null) {
            argv.addAll(List.of("-initrd", initrd.toString()));
        }
        List<String> append = new ArrayList<>(List.of(BASE_KERNEL_ARGS));
        append.addAll(kernelArgs);
        argv.addAll(List.of("-append", String.join(" ", append)));
        argv.addAll(List.of(
                "-chardev", "file,id=console,path=" + option(run.consoleLog()),
                "-serial", "chardev:console",
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,path=" + option(run.agentSocket()) + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + AGENT_PORT_NAME,
                "-chardev", "socket,id=qmp,path=" + option(run.qmpSocket()) + ",server=on,wait=off",
                "-mon", "chardev=qmp,mode=control",
                "-nic", "none",
                // A generation id the guest kernel reseeds its RNG from; "auto" is new in every QEMU, so every copy differs.
                "-device", "vmgenid,guid=auto"));
        if (memoryFile != null) {
            argv.addAll(List.of("-object", "memory-backend-file,id=" + RAM_ID + ",size=" + memory.bytes()
                    + ",mem-path=" + option(memoryFile) + ",share=" + (memoryShared ? "on" : "off")
                    + (memoryReadOnly ? ",readonly=on,rom=off" : ""),
                    "-machine", "memory-backend=" + RAM_ID));
        }
        if (paused) {
            argv.add("-S");
        }
        for (Disk disk : disks) {
            argv.addAll(List.of("-drive", "file=" + option(disk.path()) + ",format=" + disk.format().qemuName()
                    + ",if=virtio,readonly=" + (disk.readOnly() ? "on" : "off")));
        }
        if (incoming != null) {
            argv.addAll(List.of("-incoming", incoming));
        }
        return List.copyOf(argv);
    }

    private static void requireFile(String what, Path path) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(what + " is not a readable file: " + path);
        }
    }

    /** A path inside a QEMU option list, where a comma must be doubled. */
    private static String option(Path path) {
        return path.toAbsolutePath().toString().replace(",", ",,");
    }
}
