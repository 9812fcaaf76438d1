package dev.provium.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;
import org.opentest4j.AssertionFailedError;

class LuaFailuresTest {

    @TempDir
    Path project;

    private final List<String> tests = new ArrayList<>();

    @Test
    void errorObjectsAreDescribed() throws IOException {
        assertThat(failureOf("local x = 1\nerror({code = 7, 'first'})"))
                .isInstanceOf(LuaScriptException.class)
                .hasMessageStartingWith("x.lua:2: error object: {\"first\", code = 7}\nstack traceback:");
        assertThat(failureOf("error(setmetatable({}, {__tostring = function() return 'custom' end}))"))
                .hasMessageStartingWith("x.lua:1: error object: custom");
    }

    @Test
    void errorsInCoroutinesKeepTheirPosition() throws IOException {
        Throwable failure = failureOf("local f = coroutine.wrap(function()\n  error('in wrap')\nend)\nf()");

        assertThat(LuaFailures.firstLine(failure)).startsWith("x.lua:4: ").endsWith("x.lua:2: in wrap");
        assertThat(failure.getStackTrace()[0].toString()).isEqualTo("lua.anonymous function(x.lua:2)");
    }

    @Test
    void todoIsASignalNotAFailure() throws IOException {
        Throwable todo = rawFailureOf("todo('later')");

        assertThat(LuaFailures.todoReason(todo)).contains("later");
        assertThat(LuaFailures.todoReason(rawFailureOf("error('x')"))).isEmpty();
    }

    @Test
    void assertionsKeepTheirKindAndPosition() throws IOException {
        Throwable failure = failureOf("\n\nassert(1 == 2, 'math broke')");

        assertThat(failure).isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("x.lua:3: math broke");
        assertThat(LuaFailures.luaLocation(failure)).hasValueSatisfying(frame -> {
            assertThat(frame.getFileName()).isEqualTo("x.lua");
            assertThat(frame.getLineNumber()).isEqualTo(3);
        });
    }

    @Test
    void javaThrowablesPassThroughUnchanged() {
        IllegalStateException problem = new IllegalStateException("engine bug");

        assertThat(LuaFailures.toFailure(problem)).isSameAs(problem);
        assertThat(LuaFailures.luaLocation(problem)).isEmpty();
    }

    @Test
    void proviumExceptionsReadAsTheirMessage() throws IOException {
        Throwable failure = failureOf("provium.fail()", (provium, globals, context) -> provium.set("fail",
                LuaFunctions.named("fail", args -> {
                    throw new LuaScriptException("boot timed out after 60 s\nconsole tail:\n...", null,
                            new StackTraceElement[0]);
                })));

        assertThat(failure).hasMessageStartingWith("x.lua:1: boot timed out after 60 s\nconsole tail:\n...")
                .hasCauseInstanceOf(LuaScriptException.class);
    }

    @Test
    void extensionsSeeTheCoreApiAndTheFileContext() throws IOException {
        List<String> seen = new ArrayList<>();
        run("provium.report()", (provium, globals, context) -> {
            seen.add(provium.get("pack").isfunction() ? "pack" : "no pack");
            seen.add(context.chunkName());
            provium.set("report", LuaFunctions.named("report", args -> {
                seen.add("called");
                return LuaValue.NONE;
            }));
        });

        assertThat(seen).containsExactly("pack", "x.lua", "called");
    }

    @Test
    void testCallsReachTheHandlerWithTheirLine() throws IOException {
        run("\ntest('one', function() end)\nlocal name = 'two'\ntest(name, function() end)");

        assertThat(tests).containsExactly("one@2", "two@4");
    }

    private Throwable failureOf(String code, FileBindings... extensions) throws IOException {
        return LuaFailures.toFailure(rawFailureOf(code, extensions));
    }

    private Throwable rawFailureOf(String code, FileBindings... extensions) throws IOException {
        Throwable failure = catchThrowable(() -> run(code, extensions));
        assertThat(failure).as("the script should fail").isNotNull();
        return failure;
    }

    private void run(String code, FileBindings... extensions) throws IOException {
        Path script = Files.writeString(project.resolve("x.lua"), code);
        FileRunContext context = new FileRunContext(script, "x.lua", project, List.of(project));
        try (context) {
            LuaRuntime.create(context, (name, line, options, body) -> tests.add(name + "@" + line), List.of(extensions)).run();
        }
    }
}
