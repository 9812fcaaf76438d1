package dev.provium.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleResolverTest {

    @TempDir
    Path modulesDir;

    @Test
    void resolvesTheTransportModulesOfTheInstalledKernelInLoadOrder() {
        Path installed = installedModulesDir();

        List<Path> files = ModuleResolver.resolve(installed, GuestImageSpec.TRANSPORT_MODULES);

        assertThat(files).extracting(ModuleResolverTest::moduleName).containsExactly("virtio_ring", "virtio",
                "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "virtio_console");
        assertThat(files).allSatisfy(file -> assertThat(file).startsWith(installed).isRegularFile());
    }

    @Test
    void addsTheBlockDriverAfterTheTransportWithoutRepeatingSharedDependencies() {
        List<Path> files = ModuleResolver.resolve(installedModulesDir(), List.of("virtio_pci", "virtio_console",
                "virtio-blk"));

        assertThat(files).extracting(ModuleResolverTest::moduleName).containsExactly("virtio_ring", "virtio",
                "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "virtio_console", "virtio_blk");
    }

    @Test
    void ordersDependenciesFirstAcrossADiamondAndCompressedFiles() throws IOException {
        modulesDep("""
                kernel/top.ko.xz: kernel/left.ko.zst kernel/right.ko.gz kernel/base.ko
                kernel/left.ko.zst: kernel/base.ko
                kernel/right.ko.gz: kernel/base.ko
                kernel/base.ko:
                kernel/other.ko:
                """);

        List<Path> files = ModuleResolver.resolve(modulesDir, List.of("top", "base", "other"));

        assertThat(files).extracting(f -> modulesDir.relativize(f).toString())
                .containsExactly("kernel/base.ko", "kernel/right.ko.gz", "kernel/left.ko.zst", "kernel/top.ko.xz",
                        "kernel/other.ko");
    }

    @Test
    void treatsDashAndUnderscoreAlike() throws IOException {
        modulesDep("""
                kernel/drivers/char/hw_random/virtio-rng.ko: kernel/virtio_core.ko
                kernel/virtio_core.ko:
                """);

        assertThat(ModuleResolver.resolve(modulesDir, List.of("virtio_rng")))
                .extracting(ModuleResolverTest::moduleName).containsExactly("virtio_core", "virtio-rng");
        assertThat(ModuleResolver.resolve(modulesDir, List.of("virtio-core")))
                .extracting(ModuleResolverTest::moduleName).containsExactly("virtio_core");
    }

    @Test
    void skipsBuiltInModules() throws IOException {
        modulesDep("kernel/virtio_console.ko:\n");
        Files.writeString(modulesDir.resolve("modules.builtin"), "kernel/drivers/virtio/virtio.ko\n"
                + "kernel/drivers/virtio/virtio_pci.ko\n");

        assertThat(ModuleResolver.resolve(modulesDir, List.of("virtio_pci", "virtio", "virtio_console")))
                .extracting(ModuleResolverTest::moduleName).containsExactly("virtio_console");
    }

    @Test
    void unknownModuleNamesTheModuleAndTheDirectory() throws IOException {
        modulesDep("kernel/a.ko:\n");

        assertThatThrownBy(() -> ModuleResolver.resolve(modulesDir, List.of("a", "no_such_driver")))
                .isInstanceOf(GuestImageException.class)
                .hasMessageContaining("Kernel module 'no_such_driver' is neither listed in "
                        + modulesDir.resolve("modules.dep") + " nor built in");
    }

    @Test
    void blankModuleNameIsRejected() throws IOException {
        modulesDep("kernel/a.ko:\n");

        assertThatThrownBy(() -> ModuleResolver.resolve(modulesDir, List.of("a", " ")))
                .hasMessageContaining("Blank kernel module name");
    }

    @Test
    void missingModulesDepSaysToRunDepmod() {
        assertThatThrownBy(() -> ModuleResolver.resolve(modulesDir, List.of("virtio")))
                .isInstanceOf(GuestImageException.class)
                .hasMessageContaining("No " + modulesDir.resolve("modules.dep"))
                .hasMessageContaining("depmod");
    }

    @Test
    void listedModuleFileThatIsMissingIsReported() throws IOException {
        Files.writeString(modulesDir.resolve("modules.dep"), "kernel/gone.ko:\n");

        assertThatThrownBy(() -> ModuleResolver.resolve(modulesDir, List.of("gone")))
                .hasMessageContaining("Module file " + modulesDir.resolve("kernel/gone.ko")
                        + " is listed in " + modulesDir.resolve("modules.dep") + " but does not exist");
    }

    @Test
    void malformedLineNamesTheLine() throws IOException {
        Files.writeString(modulesDir.resolve("modules.dep"), "kernel/a.ko:\nthis line has no colon\n");

        assertThatThrownBy(() -> ModuleResolver.resolve(modulesDir, List.of("a")))
                .hasMessageContaining(modulesDir.resolve("modules.dep") + " line 2 is not 'module: dependencies'");
    }

    @Test
    void dependencyCycleDoesNotLoopForever() throws IOException {
        modulesDep("""
                kernel/a.ko: kernel/b.ko
                kernel/b.ko: kernel/a.ko
                """);

        assertThat(ModuleResolver.resolve(modulesDir, List.of("a"))).extracting(ModuleResolverTest::moduleName)
                .containsExactly("b", "a");
    }

    /** Writes modules.dep and creates every module file it mentions. */
    private void modulesDep(String content) throws IOException {
        Files.writeString(modulesDir.resolve("modules.dep"), content);
        for (String word : content.split("[\\s:]+")) {
            if (!word.isEmpty()) {
                Path file = modulesDir.resolve(word);
                Files.createDirectories(file.getParent());
                Files.write(file, new byte[] {1});
            }
        }
    }

    static Path installedModulesDir() {
        Kernel kernel = new KernelLocator(Path.of("/boot"), Path.of("/lib/modules"), name -> null)
                .locate(Optional.empty());
        return kernel.modulesDir().orElseThrow();
    }

    private static String moduleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.indexOf(".ko"));
    }
}
