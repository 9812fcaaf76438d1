package dev.provium.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DaemonExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.Executor;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * A running QEMU, started with Apache Commons Exec. QEMU's own stdout and stderr (where it reports
 * "could not open kernel" and the like) go to a file, readable with {@link #output()}.
 *
 * <p>QEMU must not outlive the JVM, even a JVM killed with SIGKILL. When util-linux's {@code setpriv}
 * is installed, QEMU is started as {@code setpriv --pdeathsig KILL -- qemu...}: setpriv sets
 * PR_SET_PDEATHSIG and execs QEMU in the same process. That signal fires when the <em>thread</em>
 * that forked the process ends, not the JVM. Commons Exec's asynchronous execute() forks from its own
 * executor thread, and that same thread then blocks in {@code Process.waitFor()} until QEMU exits
 * (DefaultExecutor.executeInternal: launch, then waitFor, in one thread), so the signal fires exactly
 * when that thread dies with the JVM. The caller's thread may end at any time (tested). A shutdown hook
 * ({@link LiveQemus}) kills what is left on an orderly exit.
 */
final class QemuProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
    private static final int OUTPUT_TAIL_BYTES = 64 * 1024;
    private static final Optional<Path> SETPRIV = Executables.find("setpriv");

    private final List<String> argv;
    private final Path outputFile;
    private final Process process;
    private final CountDownLatch finished;

    private QemuProcess(List<String> argv, Path outputFile, Process process, CountDownLatch finished) {
        this.argv = argv;
        this.outputFile = outputFile;
        this.process = process;
        this.finished = finished;
    }

    /**
     * Starts argv (argv[0] is the QEMU binary, looked up on PATH) with its output going to outputFile.
     *
     * @throws QemuException when the binary is missing or cannot be started
     */
    public static QemuProcess start(List<String> argv, Path outputFile) {
        return start(argv, outputFile, SETPRIV);
    }

    /** With setpriv empty, QEMU is not tied to the JVM by a parent-death signal (only the shutdown hook is left). */
    static QemuProcess start(List<String> argv, Path outputFile, Optional<Path> setpriv) {
        List<String> command = List.copyOf(argv);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty QEMU command line");
        }
        Path binary = Executables.find(command.get(0)).orElseThrow(() -> new QemuNotInstalledException(command.get(0)
                + " not found on PATH; install QEMU (Debian/Ubuntu: apt-get install qemu-system-x86)"));

        OutputStream output;
        try {
            output = Files.newOutputStream(outputFile);
        } catch (IOException e) {
            throw new QemuException("cannot create QEMU output file " + outputFile + ": " + e, e);
        }
        CompletableFuture<Process> launched = new CompletableFuture<>();
        CountDownLatch finished = new CountDownLatch(1);
        PumpStreamHandler streams = new PumpStreamHandler(output, output);
        // A child of QEMU (an exec: migration's cat) may hold the pipes open after QEMU is gone.
        streams.setStopTimeout(OUTPUT_DRAIN);
        Executor executor = DaemonExecutor.builder().setExecuteStreamHandler(streams).get();
        executor.setExitValues(null);
        executor.setProcessDestroyer(new LaunchCapture(launched));
        try {
            executor.execute(commandLine(setpriv, binary, command), new ResultHandler(launched, finished, output));
            Process process = launched.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LiveQemus.add(process);
            return new QemuProcess(command, outputFile, process, finished);
        } catch (IOException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw abandon(launched, output, new QemuException("cannot start " + binary + ": " + cause.getMessage(), cause));
        } catch (TimeoutException e) {
            throw abandon(launched, output, new QemuException("QEMU did not start within " + START_TIMEOUT.toSeconds() + " s: " + binary, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abandon(launched, output, new QemuException("interrupted while starting QEMU", e));
        }
    }

    /** A start that failed: a QEMU that still comes up later is killed at once, and the output file is closed. */
    private static QemuException abandon(CompletableFuture<Process> launched, OutputStream output, QemuException failure) {
        launched.thenAccept(Process::destroyForcibly);
        try {
            output.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static CommandLine commandLine(Optional<Path> setpriv, Path binary, List<String> command) {
        CommandLine line;
        if (setpriv.isPresent()) {
            line = new CommandLine(setpriv.get().toString());
            line.addArgument("--pdeathsig", false).addArgument("KILL", false).addArgument("--", false);
            line.addArgument(binary.toString(), false);
        } else {
            line = new CommandLine(binary.toString());
        }
        // false: pass every argument as is; Commons Exec would otherwise add quotes around blanks.
        command.subList(1, command.size()).forEach(argument -> line.addArgument(argument, false));
        return line;
    }

    /** Whether QEMU runs under a parent-death signal (setpriv was found). */
    public static boolean diesWithJvm() {
        return SETPRIV.isPresent();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** QEMU's exit status once it has ended (128+n when killed by signal n). */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Waits until QEMU has ended and its output is flushed; false when it still runs after the timeout. */
    public boolean awaitExit(Duration timeout) {
        try {
            return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends QEMU: SIGTERM, then SIGKILL after a short grace period; returns once it is gone. Safe to call twice. */
    public void kill() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(TERMINATE_GRACE)) {
                process.destroyForcibly();
            }
        }
        if (!awaitExit(KILL_WAIT) && process.isAlive()) {
            throw new QemuException("QEMU (pid " + pid() + ") is still running after SIGKILL");
        }
        LiveQemus.remove(process);
    }

    @Override
    public void close() {
        kill();
    }

    /** What QEMU itself printed (its last 64 KiB), e.g. "could not load kernel". */
    public String output() {
        try (SeekableByteChannel channel = Files.newByteChannel(outputFile)) {
            long size = channel.size();
            long start = Math.max(0, size - OUTPUT_TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading
            }
            buffer.flip();
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(buffer).toString();
        } catch (IOException e) {
            return "(cannot read QEMU output " + outputFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "QEMU pid " + pid() + ": " + String.join(" ", argv);
    }

    /** Commons Exec hands the started Process to its destroyer right after launch; we keep it. */
    private static final class LaunchCapture implements ProcessDestroyer {
        private final CompletableFuture<Process> launched;

        LaunchCapture(CompletableFuture<Process> launched) {
            this.launched = launched;
        }

        @Override
        public boolean add(Process process) {
            return launched.complete(process);
        }

        @Override
        public boolean remove(Process process) {
            LiveQemus.remove(process);
            return true;
        }

        @Override
        public int size() {
            return launched.isDone() ? 1 : 0;
        }
    }

    private static final class ResultHandler implements ExecuteResultHandler {
        private final CompletableFuture<Process> launched;
        private final CountDownLatch finished;
        private final OutputStream output;

        ResultHandler(CompletableFuture<Process> launched, CountDownLatch finished, OutputStream output) {
            this.launched = launched;
            this.finished = finished;
            this.output = output;
        }

        @Override
        public void onProcessComplete(int exitValue) {
            done();
        }

        /** Launch failures (no process) and output-drain trouble (process exited; its status is in Process). */
        @Override
        public void onProcessFailed(ExecuteException e) {
            launched.completeExceptionally(e.getCause() != null ? e.getCause() : e);
            done();
        }

        private void done() {
            try {
                output.close();
            } catch (IOException ignored) {
                // the output file is best effort; the exit status is what matters here
            }
            finished.countDown();
        }
    }
}
