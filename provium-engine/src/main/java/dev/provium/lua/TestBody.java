package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.util.Optional;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.opentest4j.TestAbortedException;

/**
 * Runs one {@code test()} body the way every runner reports it: in the test's own resource scope of the file,
 * {@code todo()} as a {@link TestAbortedException} with its reason, a Lua failure mapped by {@link LuaFailures},
 * a failure marking the file failed (so its guests keep their console logs), and a cleanup failure reported
 * with the test's own failure. Shared by the TestEngine and the Jupiter dynamic tests.
 */
@API(status = INTERNAL)
public final class TestBody {

    private TestBody() {
    }

    /** Runs body as test {@code name} of {@code run}; returns what ended it, or empty when it passed. */
    public static Optional<Throwable> run(FileRunContext run, String name, LuaFunction body) {
        run.beginTest(name);
        Throwable failure = null;
        try {
            body.call();
        } catch (LuaError e) {
            failure = LuaFailures.todoReason(e).<Throwable>map(TestAbortedException::new)
                    .orElseGet(() -> LuaFailures.toFailure(e));
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            if (failure != null && !(failure instanceof TestAbortedException)) {
                run.markFailed();
            }
            try {
                run.endTest();
            } catch (RuntimeException cleanup) {
                failure = combine(failure, cleanup);
            }
        }
        return Optional.ofNullable(failure);
    }

    /**
     * What a runner throws for a test's failure: a runtime exception as it is, an {@link Error} thrown here as it
     * is, any other throwable wrapped.
     */
    public static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(failure.getMessage(), failure);
    }

    /** A cleanup failure is reported with the original failure; it outranks a todo. */
    public static Throwable combine(Throwable failure, RuntimeException cleanup) {
        if (failure == null) {
            return cleanup;
        }
        if (failure instanceof TestAbortedException) {
            cleanup.addSuppressed(failure);
            return cleanup;
        }
        failure.addSuppressed(cleanup);
        return failure;
    }
}
