package dev.provium.image;

import dev.provium.Notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestImageBuilderTest {

    @TempDir
    Path dir;

    Kernel kernel;
    Path agent;
    Path cache;
    GuestImageBuilder builder;

    @BeforeEach
    void setUp() throws IOException {
        kernel = new KernelLocator(Path.of("/boot"), Path.of("/lib/modules"), name -> null).locate(Optional.empty());
        agent = Files.write(dir.resolve("provium-agent"), "#!/bin/sh\necho agent\n".getBytes(StandardCharsets.UTF_8));
        cache = dir.resolve("cache");
        builder = new GuestImageBuilder(cache, Notices.none());
    }

    @Test
    void baseOverlayHoldsAgentBusyboxModulesAndTheirManifest() throws IOException {
        Path initrd = builder.build(GuestImageSpec.of(kernel, agent), dir.resolve("initrd.cpio"));

        List<CpioContents.Archive> archives = CpioContents.archives(Files.readAllBytes(initrd));
        assertThat(archives).hasSize(1);
        var entries = archives.get(0).entries();

        assertThat(entries.get("init").mode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(entries.get("init").data()).isEqualTo(Files.readAllBytes(agent));
        assertThat(entries.get("bin/busybox").mode()).isEqualTo(CpioConstants.C_ISREG | 0755);
        assertThat(entries.get("bin/busybox").data()).isEqualTo(Files.readAllBytes(Path.of("/bin/busybox")));
        for (String applet : List.of("bin/sh", "bin/mount", "sbin/insmod", "usr/bin/awk")) {
            assertThat(entries.get(applet).mode()).as(applet).isEqualTo(CpioConstants.C_ISLNK | 0777);
            assertThat(entries.get(applet).text()).as(applet).isEqualTo("/bin/busybox");
        }
        assertThat(entries.get("dev/console").mode()).isEqualTo(CpioConstants.C_ISCHR | 0600);
        assertThat(entries.get("dev/console").rdevMajor()).isEqualTo(5);
        assertThat(entries.get("dev/console").rdevMinor()).isEqualTo(1);
        assertThat(entries.get("tmp").mode()).isEqualTo(CpioConstants.C_ISDIR | 01777);
        assertThat(entries.get("proc").mode()).isEqualTo(CpioConstants.C_ISDIR | 0555);
        assertThat(entries).containsKeys("sys", "usr/sbin", "etc/provium", "lib/modules/" + kernel.version());

        List<Path> modules = ModuleResolver.resolve(kernel.modulesDir().orElseThrow(),
                GuestImageSpec.TRANSPORT_MODULES);
        String expectedManifest = modules.stream()
                .map(m -> "/lib/modules/" + kernel.version() + "/" + kernel.modulesDir().get().relativize(m) + "\n")
                .reduce("", String::concat);
        assertThat(entries.get("etc/provium/modules").text()).isEqualTo(expectedManifest);
        assertThat(expectedManifest).contains("/lib/modules/" + kernel.version()
                + "/kernel/drivers/char/virtio_console.ko\n");
        for (Path module : modules) {
            String name = "lib/modules/" + kernel.version() + "/" + kernel.modulesDir().get().relativize(module);
            assertThat(entries.get(name).data()).as(name).isEqualTo(Files.readAllBytes(module));
            assertThat(entries.get(name).mode()).isEqualTo(CpioConstants.C_ISREG | 0644);
        }
    }

    @Test
    void everyEntryComesAfterItsParentDirectory() throws IOException {
        Path initrd = builder.build(GuestImageSpec.of(kernel, agent)
                .withFiles(Map.of("/opt/test/deep/file", agent, "/etc/provium/x", agent)), dir.resolve("initrd.cpio"));

        List<CpioContents.Archive> archives = CpioContents.archives(Files.readAllBytes(initrd));
        List<String> base = List.copyOf(archives.get(0).entries().keySet());
        assertThat(base).allSatisfy(name -> assertThat(parent(name)).satisfiesAnyOf(
                parent -> assertThat(parent).isEmpty(),
                parent -> assertThat(base.subList(0, base.indexOf(name))).contains(parent)));
        assertThat(archives.get(1).entries().keySet())
                .containsExactly("etc/provium/x", "opt", "opt/test", "opt/test/deep", "opt/test/deep/file");
    }

    private static String parent(String name) {
        return name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
    }

    @Test
    void layoutIsUserInitrdPaddedThenBaseThenFiles() throws IOException {
        byte[] userBytes = new byte[1001];
        Arrays.fill(userBytes, (byte) 0x5A);
        Path userInitrd = Files.write(dir.resolve("user.cpio.gz"), userBytes);
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Path data = Files.write(dir.resolve("data.bin"), new byte[] {0, 1, 2, (byte) 0xFF});
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r-----"));
        GuestImageSpec spec = GuestImageSpec.of(kernel, agent).withUserInitrd(Optional.of(userInitrd))
                .withFiles(Map.of("/root/run.sh", script, "/etc/provium/extra.bin", data, "/tmp/x/data", data));

        byte[] initrd = Files.readAllBytes(builder.build(spec, dir.resolve("initrd.cpio")));

        assertThat(Files.readAllBytes(userInitrd)).isEqualTo(userBytes); // never modified
        assertThat(Arrays.copyOfRange(initrd, 0, 1001)).isEqualTo(userBytes);
        assertThat(Arrays.copyOfRange(initrd, 1001, 1004)).containsOnly(0);
        byte[] base = Files.readAllBytes(onlyBaseOverlayIn(cache));
        assertThat(Arrays.copyOfRange(initrd, 1004, 1004 + base.length)).isEqualTo(base);
        assertThat(base.length % 512).isZero();

        List<CpioContents.Archive> archives =
                CpioContents.archives(Arrays.copyOfRange(initrd, 1004, initrd.length));
        assertThat(archives).hasSize(2);
        var files = archives.get(1).entries();
        assertThat(files.keySet()).containsExactly("etc/provium/extra.bin", "root", "root/run.sh", "tmp/x",
                "tmp/x/data");
        assertThat(files.get("root/run.sh").mode()).isEqualTo(CpioConstants.C_ISREG | 0750);
        assertThat(files.get("root/run.sh").text()).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(files.get("etc/provium/extra.bin").mode()).isEqualTo(CpioConstants.C_ISREG | 0640);
        assertThat(files.get("etc/provium/extra.bin").data()).containsExactly(0, 1, 2, 0xFF);
        assertThat(files.get("root").mode()).isEqualTo(CpioConstants.C_ISDIR | 0755);
    }

    @Test
    void alignedUserInitrdGetsNoPadding() throws IOException {
        Path userInitrd = Files.write(dir.resolve("user.cpio"), new byte[] {7, 7, 7, 7, 7, 7, 7, 7});

        byte[] initrd = Files.readAllBytes(builder.build(GuestImageSpec.of(kernel, agent)
                .withUserInitrd(Optional.of(userInitrd)), dir.resolve("initrd.cpio")));

        assertThat(Arrays.copyOfRange(initrd, 8, 14)).isEqualTo("070701".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void reusesTheCachedBaseOverlayAndMakesANewOneForOtherModules() throws IOException {
        builder.build(GuestImageSpec.of(kernel, agent), dir.resolve("first.cpio"));
        Path base = onlyBaseOverlayIn(cache);
        BasicFileAttributes before = Files.readAttributes(base, BasicFileAttributes.class);

        builder.build(GuestImageSpec.of(kernel, agent).withFiles(Map.of("/a", agent)), dir.resolve("second.cpio"));

        BasicFileAttributes after = Files.readAttributes(onlyBaseOverlayIn(cache), BasicFileAttributes.class);
        assertThat(after.fileKey()).isEqualTo(before.fileKey());
        assertThat(after.lastModifiedTime()).isEqualTo(before.lastModifiedTime());

        builder.build(GuestImageSpec.of(kernel, agent).withModules(List.of("virtio_pci", "virtio_console",
                "virtio_blk")), dir.resolve("third.cpio"));
        try (var entries = Files.list(cache)) {
            assertThat(entries).hasSize(2);
        }
    }

    @Test
    void decompressesCompressedModules() throws IOException {
        Path modules = Files.createDirectories(dir.resolve("modules/6.6.6"));
        byte[] plain = "plain module".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(modules.resolve("kernel/drivers"));
        Files.write(modules.resolve("kernel/drivers/x.ko.xz"), SyntheticKernels.compress(Compression.XZ, plain));
        Files.write(modules.resolve("kernel/drivers/z.ko.zst"), SyntheticKernels.compress(Compression.ZSTD, plain));
        Files.write(modules.resolve("kernel/g.ko.gz"), SyntheticKernels.compress(Compression.GZIP, plain));
        Files.writeString(modules.resolve("modules.dep"), "kernel/drivers/x.ko.xz: kernel/g.ko.gz\n"
                + "kernel/drivers/z.ko.zst:\nkernel/g.ko.gz:\n");
        Kernel custom = new Kernel(kernel.image(), "6.6.6", Optional.of(modules));

        Path initrd = builder.build(GuestImageSpec.of(custom, agent).withModules(List.of("x", "z")),
                dir.resolve("initrd.cpio"));

        var entries = CpioContents.archives(Files.readAllBytes(initrd)).get(0).entries();
        assertThat(entries.get("etc/provium/modules").text()).isEqualTo("/lib/modules/6.6.6/kernel/g.ko\n"
                + "/lib/modules/6.6.6/kernel/drivers/x.ko\n/lib/modules/6.6.6/kernel/drivers/z.ko\n");
        for (String name : List.of("kernel/g.ko", "kernel/drivers/x.ko", "kernel/drivers/z.ko")) {
            assertThat(entries.get("lib/modules/6.6.6/" + name).data()).as(name).isEqualTo(plain);
        }
    }

    @Test
    void kernelWithoutModulesDirectoryGetsAnEmptyManifest() throws IOException {
        Kernel custom = new Kernel(kernel.image(), "6.6.6-custom", Optional.empty());

        Path initrd = builder.build(GuestImageSpec.of(custom, agent), dir.resolve("initrd.cpio"));

        var entries = CpioContents.archives(Files.readAllBytes(initrd)).get(0).entries();
        assertThat(entries.get("etc/provium/modules").data()).isEmpty();
        assertThat(entries.keySet()).noneMatch(name -> name.endsWith(".ko"));
    }

    @Test
    void rejectsBadGuestPaths() {
        for (var bad : Map.of(
                "relative/path", "must be absolute",
                "/a/../etc/passwd", "must not contain '..' segments",
                "/a/./b", "must not contain '.' segments",
                "/a//b", "has an empty segment",
                "/a/", "has an empty segment",
                "/", "names the root directory",
                "/a\0b", "contains a NUL character",
                "", "is empty",
                "/tmp", "is a directory in the guest image").entrySet()) {
            GuestImageSpec spec = GuestImageSpec.of(kernel, agent).withFiles(Map.of(bad.getKey(), agent));
            assertThatThrownBy(() -> builder.build(spec, dir.resolve("initrd.cpio")))
                    .as(bad.getKey()).isInstanceOf(GuestImageException.class).hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void rejectsBadHostFiles() {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent).withFiles(Map.of("/x", missing)),
                dir.resolve("initrd.cpio")))
                .hasMessage("Host file " + missing + " for guest path '/x' (files) does not exist");
        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent).withFiles(Map.of("/x", dir)),
                dir.resolve("initrd.cpio")))
                .hasMessage("Host file " + dir + " for guest path '/x' (files) is not a regular file");
        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent)
                .withUserInitrd(Optional.of(missing)), dir.resolve("initrd.cpio")))
                .hasMessage("Initrd " + missing + " does not exist");
        assertThat(dir.resolve("initrd.cpio")).doesNotExist();
    }

    @Test
    void rejectsADynamicallyLinkedBusybox() throws IOException {
        Path dynamic = Files.write(dir.resolve("busybox"), SyntheticKernels.dynamicExecutable());

        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent).withBusybox(dynamic),
                dir.resolve("initrd.cpio")))
                .isInstanceOf(GuestImageException.class)
                .hasMessage("Busybox " + dynamic + " is dynamically linked (interpreter /lib64/ld-linux-x86-64.so.2)"
                        + " but the guest has no C library; install the static build: apt-get install busybox-static");
    }

    @Test
    void rejectsABusyboxThatIsNoExecutable() throws IOException {
        Path script = Files.writeString(dir.resolve("busybox"), "#!/bin/sh\n");

        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent).withBusybox(script),
                dir.resolve("initrd.cpio")))
                .hasMessageContaining("is not an ELF executable; install the static build: apt-get install"
                        + " busybox-static");
        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, agent)
                .withBusybox(dir.resolve("none")), dir.resolve("initrd.cpio")))
                .hasMessage("Busybox " + dir.resolve("none") + " does not exist");
    }

    @Test
    void rejectsAMissingOrDynamicallyLinkedAgent() throws IOException {
        Path dynamic = Files.write(dir.resolve("agent"), SyntheticKernels.dynamicExecutable());

        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, dynamic), dir.resolve("initrd.cpio")))
                .hasMessageContaining("Agent binary " + dynamic + " is dynamically linked");
        assertThatThrownBy(() -> builder.build(GuestImageSpec.of(kernel, dir.resolve("none")),
                dir.resolve("initrd.cpio")))
                .hasMessage("Agent binary " + dir.resolve("none") + " does not exist");
    }

    @Test
    void rejectsAnUnknownModule() {
        GuestImageSpec spec = GuestImageSpec.of(kernel, agent).withModules(List.of("virtio_console", "nope_nope"));

        assertThatThrownBy(() -> builder.build(spec, dir.resolve("initrd.cpio")))
                .hasMessageContaining("Kernel module 'nope_nope' is neither listed in");
    }

    private static Path onlyBaseOverlayIn(Path cache) throws IOException {
        try (var entries = Files.list(cache)) {
            List<Path> files = entries.toList();
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).startsWith("base-").endsWith(".cpio");
            return files.get(0);
        }
    }
}
