package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.provium.engine.ScriptScanner;
import dev.provium.lua.FileRunContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apiguardian.api.API;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Lua test files as JUnit Jupiter dynamic tests, for a {@code @TestFactory} method of a class with
 * {@link Provium}:
 *
 * <pre>{@code
 * @Provium
 * class NetTests {
 *     @TestFactory
 *     Stream<DynamicNode> net() {
 *         return LuaTests.in("src/test/lua/net");
 *     }
 * }
 * }</pre>
 *
 * Each file is a {@link DynamicContainer} with the file's {@code file:} URI, each {@code test()} call in it a
 * {@link org.junit.jupiter.api.DynamicTest} whose URI adds {@code ?line=N}, so IDEs jump to the call. A file
 * runs as the engine runs it: its top-level code once and in order, each {@code test()} when the code reaches it
 * (on one thread per file, the tests one after the other). {@code todo()} aborts a test with its reason; a Lua
 * failure is an {@link AssertionError} (assertions) or a script error with the Lua message and traceback; a
 * failure of the top-level code fails the file's container, and a file that calls no {@code test()} is a single
 * test (its {@code test()} calls, if any at run time, are steps of it). VMs, fixtures, the resource pool and the image cache are those of the Java tests in the same run.
 */
@API(status = EXPERIMENTAL)
public final class LuaTests {
    private static final ThreadLocal<ProviumRuntime> RUNTIME = new ThreadLocal<>();

    private LuaTests() {
    }

    /**
     * The Lua test files under a directory (relative to the project directory, where provium.toml is), sorted by
     * path; fixtures, helper libraries and files excluded by the {@code include}/{@code exclude} settings are
     * left out.
     */
    public static Stream<DynamicNode> in(String directory) {
        ProviumRuntime runtime = current();
        Path dir = runtime.config().projectDir().resolve(directory).normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("LuaTests.in(\"" + directory + "\"): " + dir + " is not a directory");
        }
        Path base = runtime.config().roots().stream().filter(dir::startsWith).findFirst().orElse(dir);
        List<Path> files;
        try (Stream<Path> paths = Files.walk(dir)) {
            files = paths.filter(p -> p.getFileName().toString().endsWith(".lua"))
                    .filter(Files::isRegularFile)
                    .filter(p -> runtime.filter().exclusionReason(base.relativize(p)).isEmpty())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("LuaTests.in(\"" + directory + "\"): cannot list " + dir + ": " + e.getMessage(), e);
        }
        return files.stream().map(file -> container(runtime, file, base));
    }

    /** The given Lua files (relative to the project directory), in this order, whether or not under a test root. */
    public static Stream<DynamicNode> files(String... files) {
        ProviumRuntime runtime = current();
        List<DynamicNode> nodes = new ArrayList<>();
        for (String name : Arrays.asList(files)) {
            Path file = runtime.config().projectDir().resolve(name).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("LuaTests.files(\"" + name + "\"): " + file + " is not a file");
            }
            Path base = runtime.config().roots().stream().filter(file::startsWith).findFirst().orElse(file.getParent());
            nodes.add(container(runtime, file, base));
        }
        return nodes.stream();
    }

    private static DynamicNode container(ProviumRuntime runtime, Path file, Path base) {
        Path project = runtime.config().projectDir();
        List<Path> moduleRoots = new ArrayList<>(runtime.config().roots());
        if (!moduleRoots.contains(base)) {
            moduleRoots.add(base);
        }
        String name = FileRunContext.chunkNameOf(file, base);
        String chunkName = FileRunContext.chunkNameOf(file, project);
        FileRunContext context = new FileRunContext(file, chunkName, project, moduleRoots);
        if (!ScriptScanner.callsTest(file, chunkName)) {
            return DynamicTest.dynamicTest(name, file.toUri(), () -> LuaFileRun.runAsOneTest(runtime, context, name));
        }
        return DynamicContainer.dynamicContainer(name, file.toUri(), new LuaFileRun(runtime, context, name).nodes());
    }

    /** Runs {@code factory} with {@code runtime} as the one {@link #in}/{@link #files} use on this thread. */
    static <T> T withRuntime(ProviumRuntime runtime, ThrowingSupplier<T> factory) throws Throwable {
        ProviumRuntime previous = RUNTIME.get();
        RUNTIME.set(runtime);
        try {
            return factory.get();
        } finally {
            if (previous == null) {
                RUNTIME.remove();
            } else {
                RUNTIME.set(previous);
            }
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Throwable;
    }

    private static ProviumRuntime current() {
        ProviumRuntime runtime = RUNTIME.get();
        if (runtime == null) {
            throw new IllegalStateException("LuaTests needs the Provium extension and a @TestFactory method:"
                    + " annotate the test class with @Provium (or @ExtendWith(ProviumExtension.class)) and return"
                    + " LuaTests.in(...) from a @TestFactory method");
        }
        return runtime;
    }
}
