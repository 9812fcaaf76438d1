package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.provium.vm.Vm;

/**
 * Everything one Lua test file's run owns: where the script is, how its paths resolve, and the resource
 * scopes that end with the file and with each {@code test()}. Bindings register what they create here
 * ({@link #fileScope()} for VMs, {@link #currentScope()} for workers and jobs) so nothing outlives its owner.
 */
@API(status = INTERNAL)
public final class FileRunContext implements AutoCloseable {

    private final Path script;
    private final String chunkName;
    private final Path projectDir;
    private final List<Path> moduleRoots;
    private final ResourceScope fileScope;
    private final Deque<ResourceScope> testScopes = new ConcurrentLinkedDeque<>();
    private final Deque<String> runningTests = new ConcurrentLinkedDeque<>();
    private final List<Vm> vms = new CopyOnWriteArrayList<>();
    private volatile String interruption;
    private volatile FileRunContext requester;
    private volatile boolean failed;
    private final Set<Path> filesRead = new LinkedHashSet<>();

    /**
     * @param script      absolute path of the Lua file
     * @param chunkName   how the file is named in Lua messages and tracebacks (its path under the project)
     * @param projectDir  directory that relative {@code dofile}/{@code loadfile} paths resolve against
     * @param moduleRoots directories {@code require("x.y")} searches for {@code x/y.lua}, in order
     */
    public FileRunContext(Path script, String chunkName, Path projectDir, List<Path> moduleRoots) {
        this.script = script;
        this.chunkName = chunkName;
        this.projectDir = projectDir;
        this.moduleRoots = List.copyOf(moduleRoots);
        this.fileScope = new ResourceScope(chunkName);
    }

    /**
     * How a script is named in Lua messages and tracebacks: its path under the project directory with '/'
     * separators, or its absolute path when it lies outside the project.
     */
    public static String chunkNameOf(Path script, Path projectDir) {
        Path file = script.toAbsolutePath().normalize();
        Path project = projectDir.toAbsolutePath().normalize();
        if (!file.startsWith(project)) {
            return file.toString();
        }
        Path relative = project.relativize(file);
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    public Path script() {
        return script;
    }

    public String chunkName() {
        return chunkName;
    }

    public Path projectDir() {
        return projectDir;
    }

    public List<Path> moduleRoots() {
        return moduleRoots;
    }

    /**
     * The file's path under the test root that holds it ('/' separators), else its chunk name: where the kept
     * logs of its guests go, under the log directory.
     */
    public String logGroup() {
        Path file = script.toAbsolutePath().normalize();
        for (Path root : moduleRoots) {
            Path normal = root.toAbsolutePath().normalize();
            if (file.startsWith(normal) && !file.equals(normal)) {
                Path relative = normal.relativize(file);
                return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
            }
        }
        return chunkName;
    }

    /**
     * Records a file that Lua code was loaded from, or that {@code require} looked for and did not find
     * (a fixture's snapshot is only valid while all of these are as they were).
     */
    public void fileRead(Path file) {
        synchronized (filesRead) {
            filesRead.add(file.toAbsolutePath().normalize());
        }
    }

    /** The files recorded by {@link #fileRead(Path)}, in first-read order: the script first. */
    public List<Path> filesRead() {
        synchronized (filesRead) {
            return List.copyOf(filesRead);
        }
    }

    /** Resources that live until the file ends, e.g. the VMs it created. */
    public ResourceScope fileScope() {
        return fileScope;
    }

    /** The innermost running test's scope inside a {@code test()} body, else the file's scope. */
    public ResourceScope currentScope() {
        ResourceScope scope = testScopes.peekFirst();
        return scope != null ? scope : fileScope;
    }

    /** Name of the innermost {@code test()} whose body is running, if any. */
    public Optional<String> currentTest() {
        return Optional.ofNullable(runningTests.peekFirst());
    }

    /** Records a guest the file created or resumed (the VM bindings call this). */
    public void vmCreated(Vm vm) {
        vms.add(vm);
    }

    /** The guests created or resumed so far, in order. */
    public List<Vm> vms() {
        return List.copyOf(vms);
    }

    /**
     * Makes the Lua code of this file stop at its next instruction check with {@code message} (a timeout); calls
     * into guests are not interrupted by this. Until {@link #clearInterrupt()}, every check raises it again, so
     * {@code pcall} cannot swallow it.
     */
    public void interrupt(String message) {
        interruption = message;
    }

    public void clearInterrupt() {
        interruption = null;
    }

    /**
     * Makes this script's Lua code stop when {@code requester}'s does, as for a fixture script run on behalf of a
     * file whose test times out.
     */
    void interruptWith(FileRunContext requester) {
        this.requester = requester;
    }

    /** Raises the pending interruption in the running Lua code (its own or its requester's), if there is one. */
    void checkInterrupted() {
        for (FileRunContext context = this; context != null; context = context.requester) {
            String message = context.interruption;
            if (message != null) {
                throw new TimeoutSignal(message);
            }
        }
    }

    /** Records that a test or the file's own code failed, so resources keep their logs when closed. */
    public void markFailed() {
        failed = true;
    }

    /** Whether a test or the file's own code has failed so far. */
    public boolean failed() {
        return failed;
    }

    /**
     * Opens the scope of a test body (inside the running test's, for a sub-test); the engine calls this before
     * running it. Returns the scope, which {@link #endTest()} closes.
     */
    public ResourceScope beginTest(String name) {
        ResourceScope scope = new ResourceScope("test '" + name + "' in " + chunkName);
        runningTests.push(name);
        testScopes.push(scope);
        return scope;
    }

    /** Closes the innermost running test's scope; throws the first cleanup failure. */
    public void endTest() {
        ResourceScope scope = testScopes.pollFirst();
        runningTests.pollFirst();
        if (scope != null) {
            scope.close();
        }
    }

    /** Ends the tests left open (if any), innermost first, then the file's own scope. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!testScopes.isEmpty()) {
            try {
                endTest();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            fileScope.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
