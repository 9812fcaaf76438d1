package dev.provium.maven;

import dev.provium.config.ProviumConfig;
import dev.provium.guest.ExecResult;
import dev.provium.lua.VmBindings;
import dev.provium.vm.BootOptions;
import dev.provium.vm.Vm;
import dev.provium.vm.VmService;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * An interactive shell in a guest: boots a profile of {@code provium.toml} ({@code -Dprovium.profile}, default
 * {@code default}) or resumes a fixture ({@code -Dprovium.fixture=name}, built first when not cached), then runs
 * each line typed with {@code /bin/sh -c} in the guest through the agent and prints its output. Ctrl-D shuts the
 * guest down.
 *
 * @since 0.1.0
 */
@Mojo(name = "shell", requiresProject = false, threadSafe = true)
public class ShellMojo extends AbstractMojo {

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** The profile to boot. @since 0.1.0 */
    @Parameter(property = "provium.profile", defaultValue = "default")
    private String profile;

    /**
     * A fixture to start from instead of booting a profile: its cached snapshot, built first by its script
     * ({@code fixtures/<name>.lua} under a test root) when the cache has none. @since 0.1.0
     */
    @Parameter(property = "provium.fixture")
    private String fixture;

    /** The guest's memory when booting a profile. @since 0.1.0 */
    @Parameter(property = "provium.shell.memory", defaultValue = "512M")
    private String memory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        ProviumConfig config = GuestKernel.config(new File(session.getExecutionRootDirectory()), session.getUserProperties());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (VmService service = VmService.create(config)) {
            run(service, config, new Target(profile, memory, fixture), in, System.out);
        } catch (IOException e) {
            throw new MojoExecutionException("reading the terminal: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoFailureException("provium:shell: " + e.getMessage(), e);
        }
    }

    /** What the shell runs in: a fixture when one is named, else a fresh boot of the profile. */
    record Target(String profile, String memory, String fixture) {
        boolean isFixture() {
            return fixture != null && !fixture.isBlank();
        }
    }

    /**
     * Starts the guest, runs each line of {@code in} in it until end of input, then shuts it down; returns the
     * number of commands run.
     */
    static int run(VmService service, ProviumConfig config, Target target, BufferedReader in, PrintStream out)
            throws IOException {
        Vm vm;
        if (target.isFixture()) {
            out.println("provium: fixture " + target.fixture() + ": resuming its snapshot (built first when the cache"
                    + " has none)");
            vm = VmBindings.resumeFixture(service, config, target.fixture());
        } else {
            vm = service.create(target.profile());
            out.println("provium: booting profile " + target.profile() + " (" + target.memory() + ")");
            vm.boot(BootOptions.defaults().withMemory(target.memory()));
        }
        try (vm) {
            out.println("provium: guest ready. Each line runs with /bin/sh -c in the guest (cd does not carry"
                    + " over; chain with &&). Ctrl-D shuts the guest down.");
            int commands = loop(in, out, command -> {
                ExecResult result = vm.exec(command);
                return new Output(result.exitCode(), result.stdout(), result.stderr());
            });
            out.println();
            out.println("provium: shutting the guest down");
            vm.shutdown();
            return commands;
        }
    }

    record Output(int exitCode, byte[] stdout, byte[] stderr) {
    }

    interface Guest {
        Output run(String command);
    }

    /** Reads commands until end of input; prints each command's output and a non-zero exit status. */
    static int loop(BufferedReader in, PrintStream out, Guest guest) throws IOException {
        int commands = 0;
        while (true) {
            out.print("guest# ");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                return commands;
            }
            if (line.isBlank()) {
                continue;
            }
            Output output = guest.run(line);
            commands++;
            out.write(output.stdout());
            out.write(output.stderr());
            if (output.exitCode() != 0) {
                out.println("[exit " + output.exitCode() + "]");
            }
            out.flush();
        }
    }
}
