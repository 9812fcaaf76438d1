package dev.provium.lua;

import java.util.List;
import java.util.Optional;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code provium.tap(text_or_exec_result)}: parses TAP or KTAP output ({@link TapParser}) and registers each
 * result as a sub-test of the running test (at file scope: as tests of the file), subtests as their sub-tests.
 * A {@code not ok} fails with its diagnostics as the message; {@code # SKIP} and a failing {@code # TODO} are
 * skipped with their reason. Returns true when nothing failed; a plan that does not match the results, or a
 * bail-out, raises an error after the results are registered.
 */
final class TapFunctions {

    private TapFunctions() {
    }

    static void install(LuaTable provium, CallSite callSite, TestHandler handler) {
        provium.set("tap", LuaFunctions.named("tap", args -> {
            String text = textOf(args.arg1());
            int line = callSite.line(1);
            TapParser.Block block = TapParser.parse(text);
            if (block.results().isEmpty() && block.plannedCount().isEmpty()) {
                throw new LuaError(callSite.prefix(1) + "provium.tap: no TAP results in the output ("
                        + firstLine(text) + ")");
            }
            boolean passed = register(block.results(), line, handler);
            if (block.bailOut().isPresent()) {
                throw new LuaError(callSite.prefix(1) + "provium.tap: the TAP producer bailed out: " + block.bailOut().get());
            }
            Optional<String> problem = block.planProblem();
            if (problem.isPresent()) {
                throw new LuaError(callSite.prefix(1) + "provium.tap: " + problem.get());
            }
            return LuaValue.valueOf(passed);
        }));
    }

    private static boolean register(List<TapResult> results, int line, TestHandler handler) {
        boolean passed = true;
        for (TapResult result : results) {
            passed &= handler.test(result.name(), line, TestOptions.NONE, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    register(result.subtests(), line, handler);
                    outcome(result);
                    return LuaValue.NONE;
                }
            });
        }
        return passed;
    }

    private static void outcome(TapResult result) {
        String diagnostics = String.join("\n", result.diagnostics());
        switch (result.directive()) {
            case SKIP -> throw new TodoSignal(result.reason().isEmpty() ? "SKIP" : "SKIP " + result.reason());
            case TODO -> {
                if (!result.ok()) {
                    throw new TodoSignal(result.reason().isEmpty() ? "TODO" : "TODO " + result.reason());
                }
            }
            case NONE -> {
                if (!result.ok()) {
                    throw new LuaAssertionError("not ok: " + result.name() + (diagnostics.isEmpty() ? "" : "\n" + diagnostics));
                }
            }
        }
    }

    /** A string, a string wrapper (r.stdout), or an exec result (its stdout). */
    private static String textOf(LuaValue value) {
        Optional<LuaString> text = StringWrapper.stringOf(value);
        if (text.isEmpty() && value.istable() && !StringWrapper.isWrapper(value)) {
            text = StringWrapper.stringOf(value.get("stdout"));
        }
        return text.map(LuaValue::tojstring).orElseThrow(() -> Args.bad("provium.tap", 1,
                "TAP text: a string, r.stdout or an exec result r", value));
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        String first = newline < 0 ? stripped : stripped.substring(0, newline);
        return first.isEmpty() ? "it is empty" : "it starts: " + (first.length() > 80 ? first.substring(0, 80) + "…" : first);
    }
}
