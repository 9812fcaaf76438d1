package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a run writes into a new cache directory (extracted kernel, initramfs images, the agent, boot and
 * fixture snapshots with their manifests and locks, kept logs) is readable by its user only.
 */
class PrivateCacheTest {
    @TempDir
    Path project;
    @TempDir
    Path cache;

    @Test
    void everyDirectoryIsPrivateAndEveryFile0600() throws IOException {
        TestQemu.assumeInstalled();
        Map<String, String> values = Map.of("provium.cache_dir", cache.toString(),
                "provium.log_dir", cache.resolve("logs").toString());
        ProviumConfig config = ProviumConfig.load(project, key -> Optional.ofNullable(values.get(key)));
        Path script = Files.writeString(project.resolve("base.lua"), "-- a fixture script\n");
        try (VmService service = VmService.create(config, line -> { })) {
            try (Vm booted = service.create()) {
                booted.boot(BootOptions.defaults().withMemory("128M")); // saves the boot snapshot
                booted.keepLogs();
            }
            Fixtures.create(service).resume("base", script, (directory, inputs) -> {
                try (Vm vm = service.create()) {
                    vm.boot(BootOptions.defaults().withMemory("128M"));
                    vm.snapshotAndStop(directory);
                }
            }).vm().kill();
        }

        List<Path> written;
        try (Stream<Path> walk = Files.walk(cache)) {
            written = walk.filter(path -> !path.equals(cache)).toList();
        }
        assertThat(written).as("what the run wrote")
                .anyMatch(path -> path.getFileName().toString().startsWith("vmlinux"))
                .anyMatch(path -> path.getFileName().toString().equals("manifest.json"))
                .anyMatch(path -> path.getFileName().toString().equals("lock"))
                .anyMatch(path -> path.getFileName().toString().equals("console.log"));
        for (Path path : written) {
            String expected = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || path.endsWith("provium-agent")
                    ? "rwx------" : "rw-------";
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)))
                    .as(cache.relativize(path).toString()).isEqualTo(expected);
        }
    }
}
