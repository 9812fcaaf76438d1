package dev.provium.vm;

import dev.provium.Notices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.provium.internal.agent.AgentClient;
import dev.provium.config.ProviumConfig;
import dev.provium.config.MemorySize;
import dev.provium.fixture.FixtureBuild;
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
    private static final int COPIES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void resumeTheDefaultGuest() throws Exception {
        TestQemu.sharingImages(work, work);
        // room for COPIES guests at once: under TCG a vCPU is a thread, and the default budget is the host's cores
        Map<String, String> parameters = Map.of("provium.cache_dir", work.toString(), "provium.cpus", "64",
                "provium.boot_timeout", "900"); // a loaded shared machine may take minutes to boot 8 guests
        ProviumConfig config = ProviumConfig.load(work, key -> Optional.ofNullable(parameters.get(key)));
        Accelerator accel = Accelerator.choose(config.accel(), Notices.standardOutput());
        Path script = Files.writeString(work.resolve("bench.lua"), "-- the benchmark's fixture\n");
        double[] snapshotSeconds = {0};
        List<Double> provium = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        try (VmService service = VmService.create(config, Notices.none())) {
            Fixtures fixtures = Fixtures.create(service);
            FixtureBuild build = (directory, inputs) -> {
                try (Vm vm = service.create()) {
                    vm.boot();
                    long start = System.nanoTime();
                    vm.snapshotAndStop(directory);
                    snapshotSeconds[0] = (System.nanoTime() - start) / 1e9;
                }
            };
            fixtures.resume("bench", script, build).vm().kill();
            Path entry = snapshotDirectory(work.resolve("fixtures"));
            Path full = fullStateOf(accel, entry);
            for (int i = 0; i < RUNS; i++) {
                BootBenchmark.settle(service);
                long start = System.nanoTime();
                Vm vm = fixtures.resume("bench", script, build).vm();
                provium.add((System.nanoTime() - start) / 1e9);
                vm.kill();
                BootBenchmark.settle(service);
                bare.add(bareRestore(accel, entry, full));
            }
            System.out.printf(Locale.ROOT, "%n== snapshot of the booted default guest (512M): %.3f s; device state %d KB,"
                            + " memory template %d MB allocated (%d MB apparent); full state for comparison %d MB%n",
                    snapshotSeconds[0], Files.size(entry.resolve(VmSnapshot.STATE_FILE)) >> 10,
                    allocated(entry.resolve(VmSnapshot.MEMORY_FILE)) >> 20, Files.size(entry.resolve(VmSnapshot.MEMORY_FILE)) >> 20,
                    Files.size(full) >> 20);
            Stats.report("resume of a fixture until the agent answers: template snapshot into a QEMU started ahead, against a bare"
                    + " -incoming restore of the same guest's full state (" + accel + ", " + RUNS + " runs each)",
                    "provium", provium, "bare qemu", bare);
            memoryOfCopies(service, fixtures, script, build);
        }
        TestQemu.unshareImages(work);
    }

    /** RSS and PSS of COPIES running copies of the fixture against COPIES cold-booted guests of the same profile. */
    private static void memoryOfCopies(VmService service, Fixtures fixtures, Path script, FixtureBuild build) throws IOException {
        long[] copies;
        List<Vm> running = new ArrayList<>();
        try {
            for (int i = 0; i < COPIES; i++) {
                running.add(fixtures.resume("bench", script, build).vm());
            }
            running.forEach(vm -> vm.exec("true"));
            copies = memory(running);
        } finally {
            running.forEach(Vm::kill);
            running.clear();
        }
        long[] cold;
        try {
            for (int i = 0; i < COPIES; i++) {
                Vm vm = service.create();
                running.add(vm);
                vm.boot(BootOptions.defaults().cold());
            }
            running.forEach(vm -> vm.exec("true"));
            cold = memory(running);
        } finally {
            running.forEach(Vm::kill);
        }
        System.out.printf(Locale.ROOT, "%n== memory of %d running guests (512M each): copies of one fixture against cold-booted guests%n"
                        + "  copies  RSS %d MB  PSS %d MB%n  cold    RSS %d MB  PSS %d MB%n  ratio   RSS %.2f  PSS %.2f%n%n",
                COPIES, copies[0] >> 10, copies[1] >> 10, cold[0] >> 10, cold[1] >> 10,
                (double) copies[0] / cold[0], (double) copies[1] / cold[1]);
    }

    /** The summed RSS and PSS (kB) of the guests' QEMUs, from /proc/PID/smaps_rollup. */
    private static long[] memory(List<Vm> vms) throws IOException {
        long[] total = new long[2];
        for (Vm vm : vms) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(vm.qemuPid().orElseThrow()), "smaps_rollup"))) {
                if (line.startsWith("Rss:")) {
                    total[0] += Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Pss:")) {
                    total[1] += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return total;
    }

    private static long allocated(Path file) throws IOException {
        Process du = new ProcessBuilder("du", "-B1", file.toString()).start();
        String output = new String(du.getInputStream().readAllBytes()).strip();
        return Long.parseLong(output.split("\\s+")[0]);
    }

    /**
     * The full state of the fixture's guest, as a snapshot without a template would hold it: a bare QEMU
     * loads the template snapshot and migrates everything, RAM included, to a file.
     */
    private Path fullStateOf(Accelerator accel, Path snapshot) throws Exception {
        Path full = work.resolve("full-state");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bench-");
        Path qmpSocket = dir.resolve("qmp.sock");
        List<String> argv = new ArrayList<>(machine(accel, snapshot, dir));
        JsonNode layout = JSON.readTree(snapshot.resolve(VmSnapshot.LAYOUT_FILE).toFile());
        argv.addAll(List.of("-object", "memory-backend-file,id=pc.ram,size=" + MemorySize.parse(layout.path("memory").asText()).bytes()
                        + ",mem-path=" + snapshot.resolve(VmSnapshot.MEMORY_FILE) + ",share=off",
                "-machine", "memory-backend=pc.ram", "-incoming", "defer"));
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try (QmpClient qmp = QmpClient.connect(qmpSocket, Duration.ofSeconds(30))) {
            qmp.execute("migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", true))),
                    QmpClient.DEFAULT_TIMEOUT);
            qmp.execute("migrate-incoming", Map.of("uri", "exec:cat " + snapshot.resolve(VmSnapshot.STATE_FILE)), QmpClient.DEFAULT_TIMEOUT);
            while ("inmigrate".equals(qmp.queryStatus())) {
                Thread.sleep(2);
            }
            qmp.execute("migrate-set-capabilities", Map.of("capabilities", List.of(Map.of("capability", "x-ignore-shared", "state", false))),
                    QmpClient.DEFAULT_TIMEOUT);
            qmp.migrate("exec:cat > " + full);
            qmp.awaitMigration(Duration.ofSeconds(60));
        } finally {
            qemu.destroyForcibly().waitFor();
            deleteDirectory(dir);
        }
        return full;
    }

    /** The snapshot's machine as a bare QEMU command line with sockets in dir (no memory backend, no -incoming). */
    private static List<String> machine(Accelerator accel, Path snapshot, Path dir) throws IOException {
        JsonNode layout = JSON.readTree(snapshot.resolve(VmSnapshot.LAYOUT_FILE).toFile());
        List<String> append = new ArrayList<>(List.of(QemuCommandLine.BASE_KERNEL_ARGS));
        layout.path("kernelArgs").forEach(arg -> append.add(arg.asText()));
        return List.of("qemu-system-x86_64", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-accel", accel.qemuName(), "-cpu", accel.cpuModel(), "-m", layout.path("memory").asText(),
                "-smp", layout.path("cpus").asText(), "-kernel", layout.path("kernel").asText(),
                "-initrd", snapshot.resolve(VmSnapshot.INITRD_FILE).toString(), "-append", String.join(" ", append),
                "-chardev", "file,id=console,path=" + dir.resolve("console.log"), "-serial", "chardev:console",
                "-device", "virtio-serial-pci",
                "-chardev", "socket,id=agent,path=" + dir.resolve("agent.sock") + ",server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=" + QemuCommandLine.AGENT_PORT_NAME,
                "-chardev", "socket,id=qmp,path=" + dir.resolve("qmp.sock") + ",server=on,wait=off",
                "-mon", "chardev=qmp,mode=control", "-nic", "none", "-device", "vmgenid,guid=auto");
    }

    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static Path snapshotDirectory(Path fixtures) throws IOException {
        try (Stream<Path> files = Files.walk(fixtures)) {
            return files.filter(file -> file.getFileName().toString().equals(VmSnapshot.LAYOUT_FILE))
                    .findFirst().orElseThrow().getParent();
        }
    }

    /** A bare QEMU with the snapshot's machine and -incoming of the full state; QMP to let it run; HELLO until the agent answers. */
    private double bareRestore(Accelerator accel, Path snapshot, Path fullState) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bench-");
        Path agentSocket = dir.resolve("agent.sock");
        Path qmpSocket = dir.resolve("qmp.sock");
        List<String> argv = new ArrayList<>(machine(accel, snapshot, dir));
        argv.addAll(List.of("-incoming", "exec:cat " + fullState));
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
            deleteDirectory(dir);
        }
    }
}
