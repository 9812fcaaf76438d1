package dev.provium.vm;

import dev.provium.Notices;

import dev.provium.internal.agent.AgentBinary;
import dev.provium.internal.agent.AgentClient;
import dev.provium.config.ProviumConfig;
import dev.provium.image.BootKernel;
import dev.provium.image.GuestImageBuilder;
import dev.provium.image.GuestImageSpec;
import dev.provium.image.Kernel;
import dev.provium.image.KernelLocator;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot time of the default guest through Provium against the floor: the same kernel and initramfs
 * started by a bare QEMU command (same accelerator) until the agent answers its handshake. Prints the
 * medians and their ratio; asserts nothing about time. Run with scripts/bench.
 */
@EnabledIfSystemProperty(named = "provium.bench", matches = "true|boot")
class BootBenchmark {
    private static final int RUNS = 5;

    @TempDir
    Path work;

    @Test
    void bootDefaultGuest() throws Exception {
        ProviumConfig config = ProviumConfig.load(work);
        Accelerator accel = Accelerator.choose(config.accel(), Notices.standardOutput());
        Kernel kernel = new KernelLocator().locate(Optional.empty());
        Path vmlinux = BootKernel.prepare(kernel, config.cacheDir().resolve("kernels"), Notices.none());
        Path agent = AgentBinary.extractTo(work);
        Path initrd = new GuestImageBuilder(config.cacheDir().resolve("images"), Notices.none())
                .build(GuestImageSpec.of(kernel, agent), work.resolve("initrd.cpio"));

        List<Double> provium = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        try (VmService service = VmService.create(config)) {
            for (int i = 0; i < RUNS; i++) {
                bare.add(bareBoot(accel, vmlinux, initrd));
                provium.add(proviumBoot(service));
            }
        }
        Stats.report("boot of the default guest until the agent answers (" + accel + ", " + RUNS + " runs each)",
                "provium", provium, "bare qemu", bare);
        warmAgainstCold();
    }

    /**
     * A boot served by a warm boot cache against a cold boot of the same guest, in one service whose cache
     * lives in the test's directory (the snapshot is saved by a first, untimed boot). Before each timed boot
     * the QEMU started ahead after the previous resume has had time to come up, as between the files of a run.
     */
    private void warmAgainstCold() throws Exception {
        Path cache = TestQemu.sharingImages(Files.createDirectories(work.resolve("cache")), work);
        Map<String, String> parameters = Map.of("provium.cache_dir", cache.toString(), "provium.boot_timeout", "900");
        ProviumConfig config = ProviumConfig.load(work, key -> Optional.ofNullable(parameters.get(key)));
        List<Double> warm = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        try (VmService service = VmService.create(config, Notices.none())) {
            try (Vm vm = service.create()) {
                vm.boot(); // saves the boot snapshot
            }
            for (int i = 0; i < RUNS; i++) {
                settle(service);
                cold.add(timedBoot(service, BootOptions.defaults().cold()));
                settle(service);
                warm.add(timedBoot(service, BootOptions.defaults()));
            }
        }
        TestQemu.unshareImages(cache);
        Stats.report("boot of the default guest: warm boot cache against a cold boot (" + RUNS + " runs each)",
                "warm", warm, "cold", cold);
    }

    private static double timedBoot(VmService service, BootOptions options) {
        long start = System.nanoTime();
        try (Vm vm = service.create()) {
            vm.boot(options);
            double seconds = (System.nanoTime() - start) / 1e9;
            vm.kill();
            return seconds;
        }
    }

    /** Waits (up to 5 s) until the QEMU started ahead after the last resume is up. */
    static void settle(VmService service) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (service.prestarts().waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
    }

    /** A cold boot: the boot cache would make this a resume. */
    private static double proviumBoot(VmService service) {
        long start = System.nanoTime();
        try (Vm vm = service.create()) {
            vm.boot(BootOptions.defaults().cold());
            double seconds = (System.nanoTime() - start) / 1e9;
            vm.kill();
            return seconds;
        }
    }

    private double bareBoot(Accelerator accel, Path vmlinux, Path initrd) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bench-");
        Path socket = dir.resolve("agent.sock");
        List<String> argv = List.of("qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-accel", accel.qemuName(), "-cpu", accel.cpuModel(), "-m", "512M", "-smp", "1",
                "-kernel", vmlinux.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1 rdinit=/init quiet no_timer_check",
                "-serial", "file:" + dir.resolve("console.log"),
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,path=" + socket + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=provium.agent", "-nic", "none",
                "-device", "vmgenid,guid=auto");
        long start = System.nanoTime();
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            awaitAgent(socket, qemu);
            return (System.nanoTime() - start) / 1e9;
        } finally {
            qemu.destroyForcibly().waitFor();
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Connects and repeats HELLO until the agent answers, as tightly as the host can. */
    private static void awaitAgent(Path socket, Process qemu) throws InterruptedException {
        while (qemu.isAlive()) {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                try (AgentClient client = AgentClient.open(channel, "bare")) {
                    while (client.isConnected()) {
                        try {
                            client.hello(Duration.ofMillis(200));
                            return;
                        } catch (RuntimeException notYet) {
                            // not up yet: ask again
                        }
                    }
                }
            } catch (IOException notListening) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("bare QEMU exited before the agent answered");
    }
}
