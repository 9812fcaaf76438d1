package dev.provium.jupiter;

import dev.provium.lua.FileRunContext;
import dev.provium.lua.LuaFailures;
import dev.provium.lua.LuaRuntime;
import dev.provium.lua.TestBody;
import dev.provium.lua.TestHandler;
import dev.provium.lua.TestOptions;

import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.opentest4j.TestAbortedException;

/**
 * One Lua file run as Jupiter dynamic tests. The file runs on a thread of its own (its Lua state is used by that
 * thread only) in lock step with Jupiter: asking for the next node lets the file's top-level code run until it
 * calls {@code test()} (a {@link DynamicTest} is handed out) or ends; executing that test runs its body on the
 * file's thread and reports the outcome. A test Jupiter skips (say a unique id selects another one) is passed
 * over when the next node is asked for.
 */
final class LuaFileRun implements Iterator<DynamicNode> {

    private enum Command { RUN, PASS, CONTINUE, STOP }

    /** A {@code test()} call the file has reached. */
    private static final class Declared {
        final String name;
        final int line;
        boolean executed;
        boolean passedOver;
        boolean done;
        Optional<Throwable> outcome = Optional.empty();

        Declared(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private final ProviumRuntime runtime;
    private final FileRunContext file;
    private final String name;
    private final URI uri;
    private final Object lock = new Object();
    // guarded by lock
    private Thread thread;
    private Declared declared;
    private Declared handedOut;
    private Command command;
    private boolean ended;
    private Throwable endFailure;
    private String endTodo;
    private DynamicNode next;
    private boolean exhausted;
    private Declared running; // only used on the file's thread

    LuaFileRun(ProviumRuntime runtime, FileRunContext file, String name) {
        this.runtime = runtime;
        this.file = file;
        this.name = name;
        this.uri = file.script().toUri();
    }

    /** The file's nodes, produced as Jupiter consumes them; closing the stream ends a file left half-run. */
    Stream<DynamicNode> nodes() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::stop);
    }

    @Override
    public boolean hasNext() {
        synchronized (lock) {
            if (next != null) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            if (thread == null) {
                thread = new Thread(this::runFile, "provium-lua " + file.chunkName());
                thread.setDaemon(true);
                thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
                thread.start();
            } else if (handedOut != null) {
                while (handedOut.executed && !handedOut.done) {
                    await(); // executed on another thread (parallel mode): the file goes on once it is done
                }
                if (!handedOut.executed) {
                    handedOut.passedOver = true;
                }
                send(handedOut.executed ? Command.CONTINUE : Command.PASS);
                handedOut = null;
            }
            while (declared == null && !ended) {
                await();
            }
            if (declared != null) {
                handedOut = declared;
                declared = null;
                next = dynamicTest(handedOut);
                return true;
            }
            exhausted = true;
            if (endFailure != null) {
                throw TestBody.unchecked(runtime.prerequisites().reportOnce(endFailure, "file " + name));
            }
            if (endTodo != null) {
                throw new TestAbortedException(endTodo);
            }
            return false;
        }
    }

    @Override
    public DynamicNode next() {
        synchronized (lock) {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            DynamicNode node = next;
            next = null;
            return node;
        }
    }

    private DynamicTest dynamicTest(Declared test) {
        URI source = test.line > 0 ? URI.create(uri + "?line=" + test.line) : uri;
        return DynamicTest.dynamicTest(test.name, source, () -> execute(test));
    }

    private void execute(Declared test) throws Throwable {
        synchronized (lock) {
            if (test.passedOver) {
                throw new TestAbortedException("not run: the tests of " + name + " run in order, and the file had"
                        + " gone on past this one; run the @TestFactory on one thread (@Execution(SAME_THREAD))");
            }
            test.executed = true;
            send(Command.RUN);
            while (!test.done) {
                await();
            }
        }
        if (test.outcome.isPresent()) {
            throw runtime.prerequisites().reportOnce(test.outcome.get(), "test '" + test.name + "' in " + name);
        }
    }

    // ---- the file's thread

    private void runFile() {
        Outcome outcome = run(runtime, file, this::test);
        synchronized (lock) {
            ended = true;
            endFailure = outcome.failure();
            endTodo = outcome.todo();
            lock.notifyAll();
        }
    }

    /**
     * Runs a file in which the scan found no {@code test()} call as one test, on the calling thread; a
     * {@code test()} it makes after all runs inline, as a step of it.
     */
    static void runAsOneTest(ProviumRuntime runtime, FileRunContext file, String name) throws Throwable {
        Outcome outcome = run(runtime, file, (testName, line, options, body) -> {
            body.call();
            return true;
        });
        if (outcome.failure() != null) {
            throw runtime.prerequisites().reportOnce(outcome.failure(), "file " + name);
        }
        if (outcome.todo() != null) {
            throw new TestAbortedException(outcome.todo());
        }
    }

    /** How a file's program ended: what failed it (with any cleanup failure), else the reason of a file-scope todo. */
    private record Outcome(Throwable failure, String todo) {
    }

    private static Outcome run(ProviumRuntime runtime, FileRunContext file, TestHandler tests) {
        Throwable failure = null;
        String todo = null;
        try {
            LuaRuntime.create(file, tests, List.of(runtime.guests().fileBindings())).run();
        } catch (LuaError e) {
            Optional<String> reason = LuaFailures.todoReason(e);
            if (reason.isPresent()) {
                todo = reason.get();
            } else {
                failure = LuaFailures.toFailure(e);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            if (failure != null) {
                file.markFailed();
            }
            try {
                file.close();
            } catch (RuntimeException cleanup) {
                failure = TestBody.combine(failure, cleanup);
            }
        }
        return new Outcome(failure, failure == null ? todo : null);
    }

    /** {@code test(name, fn)}: waits for Jupiter to run the test (or pass over it), then lets the file go on. */
    /**
     * One test() of the file as a dynamic test. Sub-tests and time limits are the TestEngine's: here a nested
     * test() is an error and {@code options} are not applied. Returns whether the test did not fail.
     */
    private boolean test(String testName, int line, TestOptions options, LuaFunction body) {
        if (running != null) {
            throw new LuaError("test('" + testName + "') was called inside test('" + running.name
                    + "'); tests cannot be nested");
        }
        Declared test = new Declared(testName, line);
        Command decision;
        synchronized (lock) {
            declared = test;
            lock.notifyAll();
            decision = receive();
        }
        if (decision == Command.STOP) {
            throw new LuaError("the JUnit run stopped before test('" + testName + "')");
        }
        if (decision == Command.PASS) {
            return true;
        }
        running = test;
        Optional<Throwable> outcome;
        try {
            outcome = TestBody.run(file, testName, body);
        } finally {
            running = null;
        }
        synchronized (lock) {
            test.outcome = outcome;
            test.done = true;
            lock.notifyAll();
            decision = receive();
        }
        if (decision == Command.STOP) {
            throw new LuaError("the JUnit run stopped after test('" + testName + "')");
        }
        return outcome.map(failure -> failure instanceof TestAbortedException).orElse(true);
    }

    // ---- hand-over, always under lock

    private void send(Command sent) {
        command = sent;
        lock.notifyAll();
    }

    private Command receive() {
        while (command == null) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Command.STOP;
            }
        }
        Command received = command;
        command = null;
        return received;
    }

    private void await() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopLocked();
            throw new IllegalStateException("interrupted while waiting for " + file.chunkName(), e);
        }
    }

    /** Ends a file Jupiter stopped consuming: the test() it waits in raises, so its scope closes and its VMs die. */
    private void stop() {
        Thread running;
        synchronized (lock) {
            stopLocked();
            running = thread;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopLocked() {
        if (thread != null && !ended) {
            send(Command.STOP);
        }
    }
}
