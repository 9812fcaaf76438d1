package dev.provium.vm;

import dev.provium.Notices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provium.internal.agent.AgentClient;
import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a fixture through Provium against the floor: the same snapshot restored by a bare QEMU with
 * {@code -incoming} (same accelerator and devices), both timed until the agent answers its handshake.
 * Also prints how long the snapshot took and its size. Prints medians and their ratio; asserts nothing
 * about time. Run with scripts/bench.
 */
@EnabledIfSystemProperty(named = "provium.bench", matches = "true|fixture")
class FixtureBenchmark {
    private static final int RUNS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void resumeTheDefaultGuest() throws Exception {
        Path shared = ProviumConfig.load(work).cacheDir();
        for (String sub : List.of("kernels", "images")) {
            Files.createDirectories(shared.resolve(sub));
            Files.createSymbolicLink(work.resolve(sub), shared.resolve(sub));
        }
        ProviumConfig config = ProviumConfig.load(work, key -> key.equals("provium.cache_dir")
                ? Optional.of(work.toString()) : Optional.empty());
        Accelerator accel = Accelerator.choose(config.accel(), Notices.standardOutput());
        Path script = Files.writeString(work.resolve("bench.lua"), "-- the benchmark's fixture\n");
        double[] snapshotSeconds = {0};
        List<Double> provium = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        try (VmService service = VmService.create(config)) {
            Fixtures fixtures = Fixtures.create(service);
            fixtures.resume("bench", script, (directory, inputs) -> {
                try (Vm vm = service.create()) {
                    vm.boot();
                    long start = System.nanoTime();
                    vm.snapshotAndStop(directory);
                    snapshotSeconds[0] = (System.nanoTime() - start) / 1e9;
                }
            }).vm().kill();
            Path entry = snapshotDirectory(work.resolve("fixtures"));
            for (int i = 0; i < RUNS; i++) {
                bare.add(bareRestore(accel, entry));
                long start = System.nanoTime();
                Vm vm = fixtures.resume("bench", script, (directory, inputs) -> {
                    throw new IllegalStateException("already built");
                }).vm();
                provium.add((System.nanoTime() - start) / 1e9);
                vm.kill();
            }
            System.out.printf(Locale.ROOT, "%n== snapshot of the booted default guest (512M): %.3f s, %d MB%n", snapshotSeconds[0],
                    Files.size(entry.resolve(VmSnapshot.STATE_FILE)) >> 20);
        }
        for (String sub : List.of("kernels", "images")) {
            Files.delete(work.resolve(sub));
        }
        Stats.report("resume of a fixture until the agent answers (" + accel + ", " + RUNS + " runs each)",
                "provium", provium, "bare qemu", bare);
    }

    private static Path snapshotDirectory(Path fixtures) throws IOException {
        try (Stream<Path> files = Files.walk(fixtures)) {
            return files.filter(file -> file.getFileName().toString().equals(VmSnapshot.LAYOUT_FILE))
                    .findFirst().orElseThrow().getParent();
        }
    }

    /** QEMU with the snapshot's machine and -incoming; QMP to let it run; HELLO until the agent answers. */
    private double bareRestore(Accelerator accel, Path snapshot) throws Exception {
        JsonNode layout = JSON.readTree(snapshot.resolve(VmSnapshot.LAYOUT_FILE).toFile());
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bench-");
        Path agentSocket = dir.resolve("agent.sock");
        Path qmpSocket = dir.resolve("qmp.sock");
        List<String> append = new ArrayList<>(List.of(QemuCommandLine.BASE_KERNEL_ARGS));
        layout.path("kernelArgs").forEach(arg -> append.add(arg.asText()));
        List<String> argv = List.of("qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-accel", accel.qemuName(), "-cpu", accel.cpuModel(), "-m", layout.path("memory").asText(),
                "-smp", layout.path("cpus").asText(), "-kernel", layout.path("kernel").asText(),
                "-initrd", snapshot.resolve(VmSnapshot.INITRD_FILE).toString(), "-append", String.join(" ", append),
                "-chardev", "file,id=console,path=" + dir.resolve("console.log"), "-serial", "chardev:console",
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,path=" + agentSocket + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + QemuCommandLine.AGENT_PORT_NAME,
                "-chardev", "socket,id=qmp,path=" + qmpSocket + ",server=on,wait=off",
                "-mon", "chardev=qmp,mode=control", "-nic", "none",
                "-incoming", "exec:cat " + snapshot.resolve(VmSnapshot.STATE_FILE));
        long start = System.nanoTime();
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try (QmpClient qmp = QmpClient.connect(qmpSocket, Duration.ofSeconds(30))) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(agentSocket));
            try (AgentClient agent = AgentClient.open(channel, "bare")) {
                while ("inmigrate".equals(qmp.queryStatus())) {
                    Thread.sleep(2);
                }
                qmp.execute("cont", Map.of(), QmpClient.DEFAULT_TIMEOUT);
                agent.hello(Duration.ofSeconds(30));
                return (System.nanoTime() - start) / 1e9;
            }
        } finally {
            qemu.destroyForcibly().waitFor();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }
}
