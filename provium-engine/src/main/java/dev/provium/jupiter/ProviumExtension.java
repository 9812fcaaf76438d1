package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.provium.engine.MissingPrerequisites;
import dev.provium.vm.Vm;

import java.lang.reflect.Method;
import java.util.Optional;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Provium for JUnit Jupiter tests (register it with {@link Provium} or {@code @ExtendWith}):
 * <ul>
 *   <li>injects a running {@link Vm} into test methods, lifecycle methods and constructors, started as the
 *       parameter's {@link Guest} annotation says. A guest lives as long as the context it was injected in: a
 *       test, or the class for {@code @BeforeAll} methods and the constructor of a {@code PER_CLASS} instance.
 *       Afterwards a passing guest is shut down; a failing one is killed with its console log kept, the log's
 *       path printed and its last lines printed and published as report entries;</li>
 *   <li>lets {@link LuaTests} in {@code @TestFactory} methods run Lua files as dynamic tests;</li>
 *   <li>reports a missing prerequisite (no QEMU, no kernel) once: the first test that meets it fails with
 *       the fix, later ones are aborted, naming that first test.</li>
 * </ul>
 * One {@link dev.provium.vm.VmService} (resource pool, image cache) and one set of fixtures serve every test
 * and Lua file of the JUnit run, and are closed when it ends.
 */
@API(status = EXPERIMENTAL)
public final class ProviumExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler, InvocationInterceptor {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Vm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ProviumRuntime runtime = ProviumRuntime.of(context);
        GuestScope scope = GuestScope.of(context, runtime.guests().service().notices());
        return runtime.start(parameter.findAnnotation(Guest.class).orElse(null), scope);
    }

    /** Guests injected into a constructor live with the test instance: per test, or per class with PER_CLASS. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            context.getParent().flatMap(GuestScope::existing).ifPresent(GuestScope::markFailed);
        }
        GuestScope.existing(context).ifPresent(scope -> scope.finish(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        GuestScope.existing(context).ifPresent(scope -> scope.finish(context));
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        return LuaTests.withRuntime(ProviumRuntime.of(context), invocation::proceed);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw reportOnce(context, failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw reportOnce(context, failure);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw reportOnce(context, failure);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw reportOnce(context, failure);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        throw reportOnce(context, failure);
    }

    /** The first failure for a missing prerequisite is reported as that problem (with its fix); later ones abort. */
    private static Throwable reportOnce(ExtensionContext context, Throwable failure) {
        Optional<? extends Throwable> missing = MissingPrerequisites.find(failure);
        if (missing.isEmpty()) {
            return failure;
        }
        String where = context.getTestMethod().isPresent()
                ? "test " + context.getDisplayName() + " in " + context.getRequiredTestClass().getSimpleName()
                : "class " + context.getTestClass().map(Class::getSimpleName).orElse(context.getDisplayName());
        Throwable reported = ProviumRuntime.of(context).prerequisites().reportOnce(failure, where);
        return reported == failure ? missing.get() : reported;
    }
}
