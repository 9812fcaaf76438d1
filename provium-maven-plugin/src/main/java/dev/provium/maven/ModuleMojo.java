package dev.provium.maven;

import dev.provium.image.Kernel;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Builds the out-of-tree kernel module in {@code src/main/module} (a {@code Kbuild} and its sources) against the
 * headers of the kernel the guests boot, found as the engine finds it: the profile's {@code kernel}, else
 * {@code PROVIUM_KERNEL}, else the newest installed kernel with modules. The sources are copied to
 * {@code target/module} and built there with {@code make -C <headers> M=target/module modules}; a compile error
 * shows the compiler's lines (naming the files under the source directory) and fails the build.
 *
 * @since 0.1.0
 */
@Mojo(name = "module", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true)
public class ModuleMojo extends AbstractMojo {

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project.basedir}", readonly = true, required = true)
    private File basedir;

    /** The module's sources: a {@code Kbuild} (or {@code Makefile}) and its C files. @since 0.1.0 */
    @Parameter(property = "provium.module.sourceDirectory", defaultValue = "${project.basedir}/src/main/module")
    private File sourceDirectory;

    /** Where the sources are copied and built; the {@code .ko} files end up here. @since 0.1.0 */
    @Parameter(property = "provium.module.outputDirectory", defaultValue = "${project.build.directory}/module")
    private File outputDirectory;

    /** The profile of {@code provium.toml} whose kernel the module is built for. @since 0.1.0 */
    @Parameter(property = "provium.profile", defaultValue = "default")
    private String profile;

    /** The kernel build tree to use instead of the guest kernel's {@code /lib/modules/<v>/build}. @since 0.1.0 */
    @Parameter(property = "provium.module.kernelBuildDirectory")
    private File kernelBuildDirectory;

    /** The make executable. @since 0.1.0 */
    @Parameter(property = "provium.make", defaultValue = "make")
    private String make;

    /** Extra arguments for make, e.g. {@code W=1} or {@code KCFLAGS=-Werror}. @since 0.1.0 */
    @Parameter
    private List<String> makeArguments = new ArrayList<>();

    /** Skips building the module. @since 0.1.0 */
    @Parameter(property = "provium.module.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("provium: module build skipped");
            return;
        }
        if (!sourceDirectory.isDirectory()) {
            getLog().info("provium: no module sources in " + sourceDirectory + "; nothing to build");
            return;
        }
        Path headers;
        String target;
        if (kernelBuildDirectory != null) {
            headers = kernelBuildDirectory.toPath();
            target = "the kernel build tree " + headers;
        } else {
            Kernel kernel = GuestKernel.locate(GuestKernel.config(basedir, session.getUserProperties()), profile);
            headers = GuestKernel.headers(kernel);
            target = "guest kernel " + kernel.version() + " (" + kernel.image() + ", profile " + profile + ")";
        }
        Path out = outputDirectory.toPath().toAbsolutePath();
        copySources(sourceDirectory.toPath(), out);
        getLog().info("provium: building " + sourceDirectory + " against " + target);
        List<String> command = new ArrayList<>(List.of(make, "-C", headers.toString(), "M=" + out, "modules"));
        command.addAll(makeArguments);
        MakeResult result = run(command, out);
        List<String> output = result.lines();
        int exit = result.exit();
        if (exit != 0) {
            String source = sourceDirectory.toPath().toAbsolutePath() + "/";
            List<String> compilerLines = output.stream()
                    .filter(line -> COMPILER_LINE.matcher(line).find())
                    .map(line -> line.replace(out + "/", source))
                    .toList();
            List<String> shown = compilerLines.isEmpty() ? output : compilerLines;
            shown.forEach(line -> getLog().error(line));
            String first = shown.stream().filter(line -> line.contains("error:")).findFirst()
                    .orElse(shown.isEmpty() ? "" : shown.get(shown.size() - 1));
            throw new MojoFailureException("The kernel module in " + sourceDirectory + " did not build (make exit "
                    + exit + "; the compiler's messages are above): " + first);
        }
        try (Stream<Path> files = Files.list(out)) {
            files.filter(p -> p.toString().endsWith(".ko"))
                    .forEach(ko -> getLog().info("provium: built " + ko));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + out, e);
        }
    }

    /** gcc's diagnostics, the source lines and carets under them, and make's failure lines. */
    private static final Pattern COMPILER_LINE = Pattern.compile(
            ": (error|warning|note|fatal error):|: In function|^\\s+\\d+ \\||^\\s+\\||\\*\\*\\*|undefined!");

    private record MakeResult(int exit, List<String> lines) {
    }

    private MakeResult run(List<String> command, Path directory) throws MojoExecutionException {
        List<String> lines = new ArrayList<>();
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            // plain ASCII quotes in the compiler's messages (the kernel's Makefile unexports LC_ALL)
            builder.environment().remove("LC_ALL");
            builder.environment().put("LANG", "C");
            builder.environment().put("LC_CTYPE", "C");
            builder.environment().put("LC_MESSAGES", "C");
            Process process = builder.start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    getLog().info("  " + line);
                }
            }
            return new MakeResult(process.waitFor(), lines);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot run " + command.get(0) + ": " + e.getMessage()
                    + " (Debian: apt-get install make gcc)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted while building the module", e);
        }
    }

    /** Copies what changed, keeping modification times, so make rebuilds only what changed. */
    private static void copySources(Path from, Path to) throws MojoExecutionException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target) || Files.size(target) != Files.size(file)
                        || Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(file)) != 0) {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
