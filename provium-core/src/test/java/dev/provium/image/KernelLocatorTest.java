package dev.provium.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLocatorTest {

    @TempDir
    Path root;

    Path boot;
    Path modules;

    @BeforeEach
    void layout() throws IOException {
        boot = Files.createDirectories(root.resolve("boot"));
        modules = Files.createDirectories(root.resolve("lib/modules"));
    }

    @Test
    void picksTheNewestInstalledKernelThatHasModules() throws IOException {
        install("6.1.0-9-amd64", true);
        install("6.1.0-56-amd64", true);
        install("6.1.0-10-amd64", true);
        install("6.5.0-1-amd64", false); // newer, but without /lib/modules/<version>

        Kernel kernel = locator(Map.of()).locate(Optional.empty());

        assertThat(kernel.version()).isEqualTo("6.1.0-56-amd64");
        assertThat(kernel.image()).isEqualTo(boot.resolve("vmlinuz-6.1.0-56-amd64").toAbsolutePath());
        assertThat(kernel.modulesDir()).contains(modules.resolve("6.1.0-56-amd64").toAbsolutePath());
    }

    @Test
    void ordersVersionsNumericallyNotLexically() {
        List<String> sorted = List.of("6.1.0-56-amd64", "6.10.0-1-amd64", "6.1.0-9-amd64", "5.19.0-1-amd64",
                "6.1.0-10-amd64", "6.2-rc1").stream().sorted(KernelVersions.ORDER).toList();

        assertThat(sorted).containsExactly("5.19.0-1-amd64", "6.1.0-9-amd64", "6.1.0-10-amd64",
                "6.1.0-56-amd64", "6.2-rc1", "6.10.0-1-amd64");
        assertThat(KernelVersions.ORDER.compare("6.1.0-09", "6.1.0-9")).isZero();
        assertThat(KernelVersions.ORDER.compare("6.1", "6.1.0")).isNegative();
    }

    @Test
    void environmentOverridesTheInstalledKernels() throws IOException {
        install("6.1.0-56-amd64", true);
        Files.createDirectories(modules.resolve("5.10.0-test"));
        Path custom = Files.write(root.resolve("bzImage"),
                SyntheticKernels.bzImage(new byte[] {1, 2, 3, 4}, "5.10.0-test"));

        Kernel kernel = locator(Map.of("PROVIUM_KERNEL", custom.toString())).locate(Optional.empty());

        assertThat(kernel.image()).isEqualTo(custom.toAbsolutePath());
        assertThat(kernel.version()).isEqualTo("5.10.0-test");
        assertThat(kernel.modulesDir()).contains(modules.resolve("5.10.0-test").toAbsolutePath());
    }

    @Test
    void profileKernelOverridesTheEnvironment() throws IOException {
        Path fromEnv = Files.write(root.resolve("env-bzImage"), SyntheticKernels.bzImage(new byte[4], "1.0.0"));
        Path explicit = Files.write(root.resolve("profile-bzImage"),
                SyntheticKernels.bzImage(new byte[4], "2.0.0-custom"));

        Kernel kernel = locator(Map.of("PROVIUM_KERNEL", fromEnv.toString())).locate(Optional.of(explicit));

        assertThat(kernel.version()).isEqualTo("2.0.0-custom");
        assertThat(kernel.modulesDir()).isEmpty();
    }

    @Test
    void blankEnvironmentValueIsIgnored() throws IOException {
        install("6.1.0-56-amd64", true);

        Kernel kernel = locator(Map.of("PROVIUM_KERNEL", "  ")).locate(Optional.empty());

        assertThat(kernel.version()).isEqualTo("6.1.0-56-amd64");
    }

    @Test
    void readsTheVersionOfAnElfVmlinuxFromItsBanner() throws IOException {
        Path vmlinux = Files.write(root.resolve("vmlinux"), SyntheticKernels.vmlinux(true));

        Kernel kernel = locator(Map.of()).locate(Optional.of(vmlinux));

        assertThat(kernel.version()).isEqualTo(SyntheticKernels.ELF_VERSION);
    }

    @Test
    void readsTheRealKernelsVersionFromItsHeaderWhateverTheFileIsCalled() throws IOException {
        Kernel installed = new KernelLocator(Path.of("/boot"), Path.of("/lib/modules"), name -> null)
                .locate(Optional.empty());
        Path renamed = Files.copy(installed.image(), root.resolve("bzImage"));

        Kernel kernel = new KernelLocator(boot, Path.of("/lib/modules"), name -> null).locate(Optional.of(renamed));

        assertThat(installed.image().getFileName().toString()).isEqualTo("vmlinuz-" + installed.version());
        assertThat(kernel.version()).isEqualTo(installed.version());
        assertThat(kernel.modulesDir()).contains(Path.of("/lib/modules", installed.version()));
    }

    @Test
    void missingKernelSaysWhatWasSearchedAndHowToFixIt() throws IOException {
        Files.createFile(boot.resolve("vmlinuz-6.1.0-1-amd64")); // no modules for it

        assertThatThrownBy(() -> locator(Map.of()).locate(Optional.empty()))
                .isInstanceOf(KernelNotFoundException.class)
                .hasMessageContaining(boot + "/vmlinuz-<version>")
                .hasMessageContaining(modules + "/<version>")
                .hasMessageContaining("found vmlinuz-6.1.0-1-amd64")
                .hasMessageContaining("PROVIUM_KERNEL is not set")
                .hasMessageContaining("run scripts/bootstrap (installs linux-image-amd64 and linux-headers-amd64)"
                        + " or set PROVIUM_KERNEL / the profile's kernel");
    }

    @Test
    void missingBootDirectoryIsAMissingKernel() {
        KernelLocator locator = new KernelLocator(root.resolve("nowhere"), modules, name -> null);

        assertThatThrownBy(() -> locator.locate(Optional.empty()))
                .isInstanceOf(KernelNotFoundException.class)
                .hasMessageContaining("No guest kernel found");
    }

    @Test
    void namedKernelThatDoesNotExistNamesItsOrigin() {
        Path missing = root.resolve("no-such-bzImage");

        assertThatThrownBy(() -> locator(Map.of("PROVIUM_KERNEL", missing.toString())).locate(Optional.empty()))
                .isInstanceOf(KernelNotFoundException.class)
                .hasMessage("Kernel " + missing + " (from PROVIUM_KERNEL) does not exist");
        assertThatThrownBy(() -> locator(Map.of()).locate(Optional.of(missing)))
                .hasMessage("Kernel " + missing + " (from the profile's kernel) does not exist");
    }

    @Test
    void namedFileThatIsNoKernelIsRejected() throws IOException {
        Path text = Files.writeString(root.resolve("notes.txt"), "not a kernel at all");

        assertThatThrownBy(() -> locator(Map.of()).locate(Optional.of(text)))
                .isInstanceOf(GuestImageException.class)
                .hasMessageContaining(text + " (from the profile's kernel) is not a Linux kernel image");
        assertThatThrownBy(() -> locator(Map.of()).locate(Optional.of(root)))
                .hasMessageContaining("is not a regular file");
    }

    private KernelLocator locator(Map<String, String> environment) {
        return new KernelLocator(boot, modules, environment::get);
    }

    private void install(String version, boolean withModules) throws IOException {
        Files.write(boot.resolve("vmlinuz-" + version), SyntheticKernels.bzImage(new byte[4], version));
        if (withModules) {
            Files.createDirectories(modules.resolve(version));
        }
    }
}
