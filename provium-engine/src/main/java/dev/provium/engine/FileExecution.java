package dev.provium.engine;

import java.util.Locale;
import java.util.Arrays;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

import dev.provium.lua.FileRunContext;
import dev.provium.lua.LuaFailures;
import dev.provium.lua.LuaRuntime;
import dev.provium.lua.ResourceScope;
import dev.provium.lua.TestBody;
import dev.provium.lua.TestHandler;
import dev.provium.lua.TestOptions;
import dev.provium.vm.LeaseOwner;
import dev.provium.vm.Vm;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.hierarchical.Node.DynamicTestExecutor;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Runs one Lua file: its top-level code once, in order, and each {@code test()} as the code reaches it, reported
 * through JUnit; a {@code test()} inside a running test is a sub-test of it, to any depth. A failing test ends
 * only that test (and fails its parents); a failure of the top-level code fails the file and reports the tests
 * it never reached as skipped, saying why. {@code todo()} skips the running test, or at file scope the rest of
 * the file. Each test has a time limit; past it the Lua code is interrupted and what the test started is
 * killed. Everything runs on the file's thread; the file's guests are leased to the file.
 */
final class FileExecution implements TestHandler {

    /**
     * After a timeout, how long the test may take to stop before its thread is interrupted (which cancels a call
     * into a guest in the agent; the guest stays usable).
     */
    private static final Duration INTERRUPT_AFTER = Duration.ofSeconds(2);
    /** And then how long before the file's guests are killed under it. */
    private static final Duration KILL_GUESTS_AFTER = Duration.ofSeconds(10);
    private static final int CONSOLE_TAIL_LINES = 20;
    /** How long a failed test's guests get to hand over their kernel log. */
    private static final Duration KERNEL_LOG_WAIT = Duration.ofSeconds(3);

    private final LuaFileDescriptor file;
    private final ProviumExecutionContext context;
    private final TestClaims claims;
    private final FileTally tally = new FileTally();
    private final long startNanos = System.nanoTime();
    private final Deque<RunningTest> running = new ArrayDeque<>();
    private DynamicTestExecutor dynamicTests;
    private FileRunContext run;
    private Thread thread;
    private Pending pending;
    private Duration fileTimeout;
    private String fileTodo;
    private FileCodeDeadline ownCodeDeadline;
    private final Map<String, String> consoleTailsAtFileTimeout = new LinkedHashMap<>();

    private record Pending(LuaFunction body, TestOptions options) {
    }

    /** A test whose body is running; sub-tests are pushed on top of it. */
    private static final class RunningTest {
        final LuaTestDescriptor test;
        final DynamicTestExecutor subTests;
        final TestClaims claims;
        final Duration timeout;
        final int vmsBefore;
        final List<String> failedSubTests = new ArrayList<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        final Map<String, String> consoleTails = new LinkedHashMap<>();
        ResourceScope scope;
        boolean finished;
        boolean timedOut;

        RunningTest(LuaTestDescriptor test, DynamicTestExecutor subTests, Duration timeout, int vmsBefore) {
            this.test = test;
            this.subTests = subTests;
            this.claims = new TestClaims(test.children());
            this.timeout = timeout;
            this.vmsBefore = vmsBefore;
        }
    }

    FileExecution(LuaFileDescriptor file, ProviumExecutionContext context) {
        this.file = file;
        this.context = context;
        this.claims = new TestClaims(file.children());
    }

    /** Runs the file's program; throws what failed its top-level code (or the todo of a file that is one test). */
    void run(DynamicTestExecutor dynamicTests) {
        this.dynamicTests = dynamicTests;
        this.thread = Thread.currentThread();
        LuaFile lua = file.file();
        run = new FileRunContext(lua.path(), lua.chunkName(), context.config().projectDir(), lua.moduleRoots());
        Throwable failure = null;
        String notRunReason = null;
        LeaseOwner.Scope leases = LeaseOwner.named(lua.chunkName()).enter();
        ownCodeDeadline = new FileCodeDeadline(context.watchdog(), context.config().project().testTimeout(),
                this::ownCodeTimedOut);
        ownCodeDeadline.resume();
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
            if (ownCodeDeadline.end()) {
                Thread.interrupted(); // the timeout may have interrupted this thread to cancel a guest call
                run.clearInterrupt();
                failure = ownCodeTimeoutFailure(failure);
                notRunReason = "not run: " + failure.getMessage().lines().findFirst().orElse("");
            }
            if (failure != null) {
                run.markFailed();
            }
            failure = closeScope(failure);
            leases.close();
        }
        failure = context.prerequisites().reportOnce(failure);
        if (failure instanceof MissingPrerequisites.NotRun notRun) {
            notRunReason = notRun.getMessage();
        }
        reportUnreached(claims, notRunReason, file.file().id());
        if (failure != null) {
            throw TestBody.unchecked(failure);
        }
        if (fileTodo != null && !file.isContainer()) {
            throw new TestAbortedException(fileTodo);
        }
    }

    @Override
    public boolean test(String name, int line, TestOptions options, LuaFunction body) {
        if (!file.isContainer()) {
            body.call(); // a file the scan found no test() in is one test: its test() calls are steps of it
            return true;
        }
        RunningTest parent = running.peek();
        Optional<LuaTestDescriptor> claimed = (parent == null ? claims : parent.claims).claim(name, line);
        if (claimed.isEmpty()) {
            return true; // not selected in this run
        }
        LuaTestDescriptor test = claimed.get();
        if (parent != null) {
            parent.test.hasSubTests();
        }
        pending = new Pending(body, options);
        EngineExecutionListener listener = test.isDynamic()
                ? context.listener() : new StaticTestListener(context.listener());
        if (parent == null) {
            ownCodeDeadline.pause();
        }
        Future<?> done = (parent == null ? dynamicTests : parent.subTests).execute(test, listener);
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LuaError("interrupted while running test '" + test.name() + "'");
        } catch (ExecutionException e) {
            throw TestBody.unchecked(e.getCause());
        } finally {
            pending = null;
            if (parent == null) {
                ownCodeDeadline.resume();
            }
        }
        boolean passed = test.result().map(r -> r.getStatus() != TestExecutionResult.Status.FAILED).orElse(true);
        if (!passed && parent != null) {
            parent.failedSubTests.add(test.name());
        }
        return passed;
    }

    @Override
    public void fileTimeout(Duration timeout) {
        if (!running.isEmpty()) {
            throw new LuaError("provium.timeout(seconds) sets the limit of the file's tests: call it at file scope, "
                    + "not inside test('" + running.peek().test.name() + "'); for one test use test(name, {timeout = s}, fn)");
        }
        fileTimeout = timeout;
    }

    /** Runs a test's body in its own resource scope and time limit; called by the test's node on this file's thread. */
    void runBody(LuaTestDescriptor test, DynamicTestExecutor subTests) {
        Pending body = pending;
        pending = null;
        if (body == null) {
            throw new IllegalStateException("test '" + test.name() + "' was scheduled without its Lua function");
        }
        Duration timeout = body.options().timeout()
                .orElse(fileTimeout != null ? fileTimeout : context.config().project().testTimeout());
        RunningTest frame = new RunningTest(test, subTests, timeout, run.vms().size());
        running.push(frame);
        frame.scope = run.beginTest(test.name());
        synchronized (frame) {
            frame.timers.add(context.watchdog().after(timeout, () -> timedOut(frame)));
        }
        Throwable failure = null;
        try {
            body.body().call();
        } catch (LuaError e) {
            failure = LuaFailures.todoReason(e).<Throwable>map(reason -> todoReached(reason, e))
                    .orElseGet(() -> LuaFailures.toFailure(e));
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            boolean timedOut;
            synchronized (frame) {
                frame.finished = true;
                timedOut = frame.timedOut;
                frame.timers.forEach(timer -> timer.cancel(false));
            }
            running.pop();
            if (timedOut) {
                failure = timeoutFailure(frame, failure);
                if (running.stream().noneMatch(outer -> outer.timedOut)) {
                    run.clearInterrupt();
                    Thread.interrupted(); // the timeout may have interrupted this thread to cancel a guest call
                }
            }
            if (failure != null && !timedOut && !(failure instanceof TestAbortedException)) {
                printKernelLogs(); // a timeout's message has the consoles already; sub-tests print their own
            }
            if (failure == null && !frame.failedSubTests.isEmpty()) {
                failure = new AssertionFailedError(frame.failedSubTests.size() == 1
                        ? "sub-test '" + frame.failedSubTests.get(0) + "' failed"
                        : frame.failedSubTests.size() + " sub-tests failed: " + String.join(", ", frame.failedSubTests));
            }
            reportUnreached(frame.claims, failure instanceof TestAbortedException todo ? todo.getMessage() : null,
                    "test '" + test.name() + "'");
            if (failure != null && !(failure instanceof TestAbortedException)) {
                run.markFailed();
            }
            try {
                run.endTest();
            } catch (RuntimeException cleanup) {
                failure = TestBody.combine(failure, cleanup);
            }
        }
        if (failure != null) {
            throw TestBody.unchecked(context.prerequisites().reportOnce(failure));
        }
    }

    /** A todo() reached in a running test: aborts it, with the Lua frames (not the engine's) as its trace. */
    private static TestAbortedException todoReached(String reason, LuaError signal) {
        TestAbortedException aborted = new TestAbortedException(reason);
        aborted.setStackTrace(LuaFailures.luaFrames(LuaFailures.toFailure(signal)).toArray(StackTraceElement[]::new));
        return aborted;
    }

    /**
     * On the watchdog's thread: interrupts the test's Lua code and has what it started killed (workers, jobs, guests);
     * if it is still stuck (in a call into an older guest), interrupts its thread, which cancels the call in the
     * agent, and at last kills the file's guests.
     */
    private void timedOut(RunningTest frame) {
        synchronized (frame) {
            if (frame.finished) {
                return;
            }
            frame.timedOut = true;
            frame.timers.add(context.watchdog().after(INTERRUPT_AFTER, () -> stillRunning(frame, () -> {
                thread.interrupt();
                frame.timers.add(context.watchdog().after(KILL_GUESTS_AFTER, () -> stillRunning(frame,
                        () -> context.watchdog().cleanUp(() -> run.vms().forEach(FileExecution::killQuietly)))));
            })));
        }
        run.interrupt("test '" + frame.test.name() + "' timed out after " + seconds(frame.timeout));
        List<Vm> vms = run.vms();
        List<Vm> booted = vms.subList(Math.min(frame.vmsBefore, vms.size()), vms.size());
        synchronized (frame) {
            for (Vm vm : vms) { // before the kill, which may take the console with it
                frame.consoleTails.put(vm.name(), lastLines(vm.consoleTail()));
            }
        }
        context.watchdog().cleanUp(() -> {
            try {
                frame.scope.close();
            } catch (RuntimeException e) {
                // the test is failing anyway; its report says why
            }
            booted.forEach(vm -> {
                vm.keepLogs();
                killQuietly(vm);
            });
        });
    }

    /**
     * On the watchdog's thread, when the file's own code (outside its tests) ran out of time: interrupts its Lua
     * code; if it is still stuck in a guest call, interrupts its thread, and at last kills the file's guests.
     */
    private void ownCodeTimedOut() {
        List<Vm> vms = run.vms();
        synchronized (consoleTailsAtFileTimeout) {
            vms.forEach(vm -> consoleTailsAtFileTimeout.put(vm.name(), lastLines(vm.consoleTail())));
        }
        run.interrupt(ownCodeTimeoutMessage());
        context.watchdog().after(INTERRUPT_AFTER, () -> {
            if (ownCodeDeadline.expired()) {
                thread.interrupt();
                context.watchdog().after(KILL_GUESTS_AFTER, () -> {
                    if (ownCodeDeadline.expired()) {
                        context.watchdog().cleanUp(() -> run.vms().forEach(FileExecution::killQuietly));
                    }
                });
            }
        });
    }

    private String ownCodeTimeoutMessage() {
        return "the code of " + file.file().chunkName() + " outside its tests timed out after "
                + seconds(ownCodeDeadline.limit()) + " (it has the limit of a test, test_timeout in [provium],"
                + " counted while none of its tests runs)";
    }

    private Throwable ownCodeTimeoutFailure(Throwable failure) {
        Map<String, String> tails;
        synchronized (consoleTailsAtFileTimeout) {
            tails = new LinkedHashMap<>(consoleTailsAtFileTimeout);
        }
        return timeoutFailure(ownCodeTimeoutMessage(), tails, failure);
    }

    private static void stillRunning(RunningTest frame, Runnable action) {
        synchronized (frame) {
            if (!frame.finished) {
                action.run();
            }
        }
    }

    /**
     * After a failed test, the kernel log tail of each of the file's guests that still runs, printed so that it
     * lands in the test's output; a guest that does not answer within a few seconds is left out.
     */
    private void printKernelLogs() {
        for (Vm vm : run.vms()) {
            vm.kernelLogTail(CONSOLE_TAIL_LINES, KERNEL_LOG_WAIT)
                    .ifPresent(tail -> context.console().kernelLog(vm.name(), tail));
        }
    }

    private Throwable timeoutFailure(RunningTest frame, Throwable failure) {
        Map<String, String> tails;
        synchronized (frame) {
            tails = new LinkedHashMap<>(frame.consoleTails);
        }
        return timeoutFailure("test '" + frame.test.name() + "' timed out after " + seconds(frame.timeout)
                + " (its workers, jobs and the guests it booted were killed; set the limit with"
                + " test(name, {timeout = s}, fn), provium.timeout(s) or test_timeout in [provium])", tails, failure);
    }

    /** A timeout with the consoles of the file's guests as they were then; what else failed is kept as suppressed. */
    private static TestTimeoutException timeoutFailure(String message, Map<String, String> consoleTails,
                                                       Throwable failure) {
        StringBuilder text = new StringBuilder(message);
        consoleTails.forEach((vm, tail) -> text.append("\nconsole of vm ").append(vm)
                .append(tail.isBlank() ? ": empty" : " (last lines):\n" + tail));
        TestTimeoutException timeout = new TestTimeoutException(text.toString());
        if (failure != null && LuaFailures.timeoutMessage(failure).isEmpty()) {
            timeout.addSuppressed(failure);
        }
        return timeout;
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - CONSOLE_TAIL_LINES), lines.length));
    }

    private static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static void killQuietly(Vm vm) {
        try {
            vm.kill();
        } catch (RuntimeException e) {
            // already gone, or going
        }
    }

    void testTodo(LuaTestDescriptor test) {
        tally.markTodo();
    }

    void testFinished(LuaTestDescriptor test, TestExecutionResult result) {
        tally.finished(test.getLegacyReportingName(), result);
    }

    void finished(TestExecutionResult result) {
        context.console().fileFinished(file.file().id(), file.isContainer(), tally, result, fileTodo,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private void reportUnreached(TestClaims unreachedIn, String reason, String owner) {
        for (LuaTestDescriptor test : unreachedIn.unreached()) {
            context.listener().executionSkipped(test, reason != null ? reason
                    : "not run: " + owner + " ended without reaching test() at line " + test.line());
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
}
