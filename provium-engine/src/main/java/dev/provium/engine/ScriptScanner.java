package dev.provium.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.nio.file.Path;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.ast.Chunk;
import org.luaj.vm2.ast.Exp;
import org.luaj.vm2.ast.Stat;
import org.luaj.vm2.ast.Visitor;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.parser.LuaParser;
import org.luaj.vm2.parser.ParseException;
import org.luaj.vm2.parser.TokenMgrError;

/**
 * Finds a file's tests without running it: parses it with LuaJ's parser and collects every call
 * {@code test("literal", …)} (any quoting, anywhere in the file) with its line, the calls inside its body as its
 * sub-tests, and whether its body starts with {@code todo(…)}. Calls with computed names and
 * {@code provium.tap(…)} make the file a container whose tests are registered as they run. A file that does not compile is
 * reported with LuaJ's compiler message, the same one running it would give.
 */
@API(status = INTERNAL)
public final class ScriptScanner {

    /** What {@code todo()} without an argument says; the same as at run time. */
    private static final String TODO_WITHOUT_REASON = "todo";
    private static final Pattern LINE = Pattern.compile(":(\\d+):");

    private ScriptScanner() {
    }

    /**
     * Whether the file calls {@code test()} (or may: a file the scan cannot parse but that compiles); a file that
     * does not is run as one test, its {@code test()} calls (if made at run time) being steps of it.
     */
    public static boolean callsTest(Path file, String chunkName) {
        Path path = file.toAbsolutePath().normalize();
        return scan(new LuaFile(path, path.getParent(), chunkName, chunkName, List.of())).callsTest();
    }

    static ScanResult scan(LuaFile file) {
        byte[] source;
        try {
            source = Files.readAllBytes(file.path());
        } catch (IOException e) {
            return ScanResult.broken("cannot read " + file.chunkName() + ": " + e.getMessage(), 0);
        }
        try {
            // LuaJ's parser turns each char of a literal into one byte: reading bytes as ISO-8859-1 keeps names
            // byte-exact, so they decode (as UTF-8) to the same text as the running script's strings
            Chunk chunk = new LuaParser(new StringReader(withoutShebang(new String(source, StandardCharsets.ISO_8859_1))))
                    .Chunk();
            return collect(chunk);
        } catch (ParseException | TokenMgrError | RuntimeException parserFailure) {
            return diagnose(file, source, parserFailure);
        }
    }

    /** LuaJ's compiler decides whether the file is really broken, and words the message. */
    private static ScanResult diagnose(LuaFile file, byte[] source, Throwable parserFailure) {
        try {
            LuaC.instance.compile(new ByteArrayInputStream(source), "@" + file.chunkName());
        } catch (LuaError compileError) {
            String message = compileError.getMessage();
            return ScanResult.broken(message, lineOf(message));
        } catch (IOException e) {
            return ScanResult.broken("cannot read " + file.chunkName() + ": " + e.getMessage(), 0);
        }
        int line = parserFailure instanceof ParseException p && p.currentToken != null && p.currentToken.next != null
                ? p.currentToken.next.beginLine : 0;
        return ScanResult.unscannable("the static scan could not parse " + file.chunkName()
                + " (it compiles, so its tests are registered as they run): "
                + firstLine(String.valueOf(parserFailure.getMessage())), line);
    }

    private static ScanResult collect(Chunk chunk) {
        List<DeclaredTest> tests = new ArrayList<>();
        TestNames names = new TestNames();
        Deque<DeclaredTest> enclosing = new ArrayDeque<>();
        int[] computedNames = {0};
        chunk.accept(new Visitor() {
            @Override
            public void visit(Exp.FuncCall call) {
                if (call.lhs instanceof Exp.NameExp name && name.name.name.equals("test")) {
                    List<?> arguments = call.args.exps;
                    Object first = arguments == null || arguments.isEmpty() ? null : arguments.get(0);
                    if (first instanceof Exp.Constant constant && constant.value.type() == LuaValue.TSTRING
                            && !constant.value.tojstring().isBlank()) {
                        String literal = constant.value.tojstring();
                        String todo = leadingTodo(arguments);
                        DeclaredTest parent = enclosing.peek();
                        DeclaredTest test = parent == null
                                ? new DeclaredTest(literal, names.claim(literal), call.beginLine, call.endLine, todo, null)
                                : parent.addChild(literal, call.beginLine, call.endLine, todo);
                        if (parent == null) {
                            tests.add(test);
                        }
                        enclosing.push(test);
                        try {
                            super.visit(call);
                        } finally {
                            enclosing.pop();
                        }
                        return;
                    }
                    computedNames[0]++;
                } else if (call.lhs instanceof Exp.FieldExp field && field.lhs instanceof Exp.NameExp table
                        && table.name.name.equals("provium") && field.name.name.equals("tap")) {
                    computedNames[0]++; // provium.tap registers its results as tests when it runs
                }
                super.visit(call);
            }
        });
        return ScanResult.of(tests, computedNames[0]);
    }

    /**
     * The reason of a {@code todo()} or {@code todo("literal")} that is the first statement of the test's function
     * (its last argument), or null.
     */
    private static String leadingTodo(List<?> arguments) {
        if (!(arguments.get(arguments.size() - 1) instanceof Exp.AnonFuncDef function)
                || function.body.block.stats == null || function.body.block.stats.isEmpty()
                || !(function.body.block.stats.get(0) instanceof Stat.FuncCallStat statement)
                || !(statement.funccall.lhs instanceof Exp.NameExp callee) || !callee.name.name.equals("todo")) {
            return null;
        }
        List<?> todoArguments = statement.funccall.args.exps;
        if (todoArguments == null || todoArguments.isEmpty()) {
            return TODO_WITHOUT_REASON;
        }
        return todoArguments.size() == 1 && todoArguments.get(0) instanceof Exp.Constant reason
                && reason.value.type() == LuaValue.TSTRING ? reason.value.tojstring() : null;
    }

    /** LuaJ's compiler skips a first line starting with '#'; its parser does not. Line numbers are kept. */
    private static String withoutShebang(String source) {
        return source.startsWith("#") ? "--" + source : source;
    }

    private static int lineOf(String message) {
        Matcher m = LINE.matcher(message == null ? "" : message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
