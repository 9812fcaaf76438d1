package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Collectors;

/**
 * The real agent running on the host as {@code provium-agent --stdio}, with a client on its
 * stdin/stdout and its stderr in a log file. The binary is the packaged one unless the system
 * property {@value #BINARY_PROPERTY} names another (e.g. the AddressSanitizer build).
 */
final class AgentProcess {
    static final String BINARY_PROPERTY = "provium.agent.binary";
    private static final Path LOG_DIRECTORY = Path.of("target", "agent-logs");

    final Process process;
    /** Null when the test connects its own. */
    final AgentClient client;
    final Path log;

    private AgentProcess(Process process, Path log, AgentClient client) {
        this.process = process;
        this.log = log;
        this.client = client;
    }

    static AgentProcess start(Path workDirectory, String name) {
        Process process = launch(workDirectory, name, 0);
        return new AgentProcess(process, logOf(name),
                AgentClient.open(process.getInputStream(), process.getOutputStream(), name));
    }

    /** The agent with no client: the test connects its own to {@code process}'s stdin and stdout. */
    static AgentProcess startWithoutClient(Path workDirectory, String name) {
        return startWithoutClient(workDirectory, name, 0);
    }

    /** The same with the agent's address space limited to {@code kilobytes} ({@code ulimit -v}; 0: none). */
    static AgentProcess startWithoutClient(Path workDirectory, String name, long kilobytes) {
        return new AgentProcess(launch(workDirectory, name, kilobytes), logOf(name), null);
    }

    private static Path logOf(String name) {
        return LOG_DIRECTORY.resolve(name + ".log");
    }

    private static Process launch(Path workDirectory, String name, long kilobytes) {
        Path binary = binary(workDirectory);
        List<String> command = kilobytes > 0
                ? List.of("/bin/sh", "-c", "ulimit -v " + kilobytes + " && exec \"$0\" --stdio", binary.toString())
                : List.of(binary.toString(), "--stdio");
        try {
            Files.createDirectories(LOG_DIRECTORY);
            return new ProcessBuilder(command)
                    .directory(workDirectory.toFile())
                    .redirectError(logOf(name).toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + " --stdio", e);
        }
    }

    static Path binary(Path workDirectory) {
        String override = System.getProperty(BINARY_PROPERTY);
        if (override == null || override.isBlank()) {
            return AgentBinary.extractTo(workDirectory);
        }
        Path binary = Path.of(override).toAbsolutePath();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("-D" + BINARY_PROPERTY + "=" + override + " is not an executable file");
        }
        return binary;
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the agent first, then the commands it started. */
    void kill() {
        List<ProcessHandle> commands = commandsStarted();
        process.destroyForcibly();
        commands.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Kills the commands the agent still runs, then ends the agent the polite way (end of input, so a
     * sanitizer build runs its exit checks), kills it if it does not go, and fails when its log holds a
     * sanitizer report.
     */
    void stop() throws InterruptedException {
        commandsStarted().forEach(ProcessHandle::destroyForcibly);
        if (client != null) {
            client.close();
        } else {
            closeStdio();
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(process.isAlive()).as("agent process %d still running", process.pid()).isFalse();
        assertThat(logText())
                .as("agent log %s", log)
                .doesNotContain("AddressSanitizer", "LeakSanitizer", "runtime error:");
    }

    private void closeStdio() {
        try {
            process.getOutputStream().close();
            process.getInputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the agent's stdin and stdout", e);
        }
    }

    /**
     * The agent's descendants that run another program. A copy of the agent itself may be
     * LeakSanitizer's tracer at exit: killing that one would leave the agent waiting for it forever.
     */
    private List<ProcessHandle> commandsStarted() {
        String agentCommand = process.info().command().orElse("");
        return process.descendants()
                .filter(p -> !p.info().command().orElse("").equals(agentCommand))
                .collect(Collectors.toList());
    }
}
