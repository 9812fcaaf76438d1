package dev.provium.maven;

import dev.provium.config.ProviumConfig;
import dev.provium.config.ProviumConfigException;
import dev.provium.config.Profile;
import dev.provium.image.GuestImageException;
import dev.provium.image.Kernel;
import dev.provium.image.KernelLocator;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.apache.maven.plugin.MojoFailureException;

/**
 * The kernel a profile's guests boot, found exactly as the engine finds it ({@link KernelLocator} over the profile of
 * {@code provium.toml}), and the headers a module must be built against.
 */
final class GuestKernel {

    private GuestKernel() {
    }

    static ProviumConfig config(File basedir, Properties userProperties) throws MojoFailureException {
        try {
            return ProviumConfig.load(basedir.toPath(), key -> Optional.ofNullable(userProperties.getProperty(key)));
        } catch (ProviumConfigException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    static Kernel locate(ProviumConfig config, String profileName) throws MojoFailureException {
        Profile profile;
        try {
            profile = config.profile(profileName);
        } catch (RuntimeException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        try {
            return new KernelLocator().locate(profile.kernel());
        } catch (GuestImageException e) {
            throw new MojoFailureException("No guest kernel for profile '" + profileName + "': " + e.getMessage(), e);
        }
    }

    /** The kernel's build tree ({@code /lib/modules/<v>/build}), or a failure saying what to install. */
    static Path headers(Kernel kernel) throws MojoFailureException {
        Path modules = kernel.modulesDir().orElse(Path.of("/lib/modules", kernel.version()));
        Path build = modules.resolve("build");
        if (!Files.isDirectory(build) || !Files.isRegularFile(build.resolve("Makefile"))) {
            throw new MojoFailureException("No headers for the guest kernel " + kernel.version() + " (" + kernel.image()
                    + "): " + build + " is missing. Debian: apt-get install linux-headers-" + kernel.version()
                    + " (scripts/bootstrap installs linux-headers-amd64); or set kernelBuildDirectory");
        }
        return build;
    }
}
