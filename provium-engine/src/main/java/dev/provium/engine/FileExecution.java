package dev.provium.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import dev.provium.lua.FileRunContext;
import dev.provium.lua.LuaFailures;
import dev.provium.lua.LuaRuntime;
import dev.provium.lua.TestBody;
import dev.provium.lua.TestHandler;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.hierarchical.Node.DynamicTestExecutor;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.opentest4j.TestAbortedException;

/**
 * Runs one Lua file: its top-level code once, in order, and each {@code test()} as the code reaches it, reported
 * through JUnit. A failing test ends only that test; a failure of the top-level code fails the file and reports
 * the tests it never reached as skipped, saying why. {@code todo()} skips the running test, or at file scope
 * the rest of the file. Everything runs on the file's thread.
 */
final class FileExecution implements TestHandler {

    private final LuaFileDescriptor file;
    private final ProviumExecutionContext context;
    private final TestClaims claims;
    private final FileTally tally = new FileTally();
    private final long startNanos = System.nanoTime();
    private DynamicTestExecutor dynamicTests;
    private FileRunContext run;
    private LuaTestDescriptor running;
    private LuaFunction pendingBody;
    private String fileTodo;

    FileExecution(LuaFileDescriptor file, ProviumExecutionContext context) {
        this.file = file;
        this.context = context;
        this.claims = new TestClaims(file);
    }

    /** Runs the file's program; throws what failed its top-level code (or the todo of a file that is one test). */
    void run(DynamicTestExecutor dynamicTests) {
        this.dynamicTests = dynamicTests;
        LuaFile lua = file.file();
        run = new FileRunContext(lua.path(), lua.chunkName(), context.config().projectDir(), lua.moduleRoots());
        Throwable failure = null;
        String notRunReason = null;
        try {
            LuaRuntime.create(run, this, context.extensions()).run();
        } catch (LuaError e) {
            Optional<String> todo = LuaFailures.todoReason(e);
            if (todo.isPresent()) {
                fileTodo = todo.get();
                notRunReason = todo.get();
            } else {
                failure = LuaFailures.toFailure(e);
                notRunReason = notRunBecause(failure);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            notRunReason = notRunBecause(e);
        } finally {
            if (failure != null) {
                run.markFailed();
            }
            failure = closeScope(failure);
        }
        failure = context.prerequisites().reportOnce(failure);
        if (failure instanceof MissingPrerequisites.NotRun notRun) {
            notRunReason = notRun.getMessage();
        }
        reportUnreached(notRunReason);
        if (failure != null) {
            throw unchecked(failure);
        }
        if (fileTodo != null && !file.isContainer()) {
            throw new TestAbortedException(fileTodo);
        }
    }

    @Override
    public void test(String name, int line, LuaFunction body) {
        if (!file.isContainer()) {
            body.call(); // a file the scan found no test() in is one test: its test() calls are steps of it
            return;
        }
        Optional<LuaTestDescriptor> test = claims.claim(name, line);
        if (running != null) {
            String problem = "test('" + name + "') was called inside test('" + running.name()
                    + "'); tests cannot be nested";
            test.ifPresent(nested -> {
                if (nested.isDynamic()) {
                    context.listener().dynamicTestRegistered(nested);
                }
                context.listener().executionSkipped(nested, "not run: " + problem);
                tally.markNotRun();
            });
            throw new LuaError(problem);
        }
        if (test.isPresent()) {
            execute(test.get(), body);
        }
    }

    private void execute(LuaTestDescriptor test, LuaFunction body) {
        pendingBody = body;
        EngineExecutionListener listener = test.isDynamic()
                ? context.listener() : new StaticTestListener(context.listener());
        Future<?> done = dynamicTests.execute(test, listener);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LuaError("interrupted while running test '" + test.name() + "'");
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } finally {
            pendingBody = null;
        }
    }

    /** Runs a test's body in its own resource scope; called by the test's node on this file's thread. */
    void runBody(LuaTestDescriptor test) {
        LuaFunction body = pendingBody;
        pendingBody = null;
        if (body == null) {
            throw new IllegalStateException("test '" + test.name() + "' was scheduled without its Lua function");
        }
        running = test;
        Optional<Throwable> failure;
        try {
            failure = TestBody.run(run, test.name(), body);
        } finally {
            running = null;
        }
        if (failure.isPresent()) {
            throw unchecked(context.prerequisites().reportOnce(failure.get()));
        }
    }

    void testTodo() {
        tally.markTodo();
    }

    void testNotRun() {
        tally.markNotRun();
    }

    void testFinished(LuaTestDescriptor test, TestExecutionResult result) {
        tally.finished(test.name(), result);
    }

    void finished(TestExecutionResult result) {
        context.console().fileFinished(file.file().id(), file.isContainer(), tally, result, fileTodo,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void reportUnreached(String reason) {
        for (LuaTestDescriptor test : claims.unreached()) {
            context.listener().executionSkipped(test, reason != null ? reason
                    : "not run: " + file.file().id() + " ended without reaching test() at line " + test.line());
            tally.markNotRun();
        }
    }

    private String notRunBecause(Throwable failure) {
        String id = file.file().id();
        String message = LuaFailures.firstLine(failure);
        Optional<StackTraceElement> where = LuaFailures.luaFrames(failure).stream()
                .filter(frame -> file.file().chunkName().equals(frame.getFileName()))
                .findFirst();
        if (where.isPresent()) {
            // the message names the innermost position, perhaps in a helper; the line is where this file stopped
            String position = where.get().getFileName() + ":" + where.get().getLineNumber() + ": ";
            String text = message.startsWith(position) ? message.substring(position.length()) : message;
            return "not run: " + id + " failed at line " + where.get().getLineNumber() + ": " + text;
        }
        return "not run: " + id + " failed: " + message;
    }

    private Throwable closeScope(Throwable failure) {
        try {
            run.close();
            return failure;
        } catch (RuntimeException cleanup) {
            return TestBody.combine(failure, cleanup);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure.getMessage(), failure);
    }
}
