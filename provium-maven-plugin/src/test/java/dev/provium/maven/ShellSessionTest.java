package dev.provium.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.provium.config.ProviumConfig;
import dev.provium.vm.VmService;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** provium:shell's session against real guests: typed lines run in the guest, end of input shuts it down. */
class ShellSessionTest {
    @TempDir
    Path project;
    @TempDir
    Path cache;
    private final List<String> notices = new ArrayList<>();
    private ProviumConfig config;

    @BeforeEach
    void project() throws IOException {
        assumeTrue(Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))), "QEMU is not installed");
        // the extracted kernel and images are shared with the default cache: they are not what is tested
        Path shared = ProviumConfig.load(project).cacheDir();
        for (String sub : List.of("kernels", "images")) {
            Files.createDirectories(shared.resolve(sub));
            Files.createSymbolicLink(cache.resolve(sub), shared.resolve(sub));
        }
        Path fixtures = Files.createDirectories(project.resolve("src/test/lua/fixtures"));
        Files.writeString(fixtures.resolve("marked.lua"), """
                local vm = provium.create()
                vm:boot({memory = "128M"})
                vm:exec("echo made by the fixture > /etc/mark")
                """);
        Map<String, String> values = Map.of("provium.cache_dir", cache.toString());
        config = ProviumConfig.load(project, key -> Optional.ofNullable(values.get(key)));
    }

    @AfterEach
    void unshareImages() throws IOException {
        for (String sub : List.of("kernels", "images")) {
            Files.deleteIfExists(cache.resolve(sub));
        }
    }

    @Test
    void linesRunInABootedGuestUntilEndOfInput() throws IOException {
        String output = session(new ShellMojo.Target("default", "128M", null), "uname -s\n\nfalse\necho $((6 * 7))\n");

        assertThat(output)
                .contains("provium: booting profile default (128M)")
                .contains("guest# Linux\n")
                .contains("guest# [exit 1]\n")
                .contains("guest# 42\n")
                .endsWith("guest# \nprovium: shutting the guest down\n");
        assertThat(guestQemus()).as("QEMU processes left after the shell").isEmpty();
    }

    @Test
    void aFixtureIsBuiltByItsScriptWhenNotCachedThenResumed() throws IOException {
        ShellMojo.Target fixture = new ShellMojo.Target("default", "128M", "marked");

        String built = session(fixture, "cat /etc/mark\n");
        String resumed = session(fixture, "cat /etc/mark\n");

        assertThat(built).contains("guest# made by the fixture\n");
        assertThat(resumed).contains("guest# made by the fixture\n");
        assertThat(notices).anyMatch(line -> line.startsWith("provium: fixture marked built in"));
        assertThat(notices).anyMatch(line -> line.contains("fixture marked") && line.contains("from cache"));
        assertThat(guestQemus()).as("QEMU processes left after the shell").isEmpty();
    }

    private String session(ShellMojo.Target target, String typed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VmService service = VmService.create(config, notices::add)) {
            ShellMojo.run(service, config, target, new BufferedReader(new StringReader(typed)),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<Long> guestQemus() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(process -> process.info().commandLine().map(line -> line.contains("qemu-system")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }
}
