package dev.provium.engine;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.nio.file.Path;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.ast.Chunk;
import org.luaj.vm2.ast.Exp;
import org.luaj.vm2.ast.Visitor;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.parser.LuaParser;
import org.luaj.vm2.parser.ParseException;
import org.luaj.vm2.parser.TokenMgrError;

/**
 * Finds a file's tests without running it: parses it with LuaJ's parser and collects every call
 * {@code test("literal", …)} (any quoting, anywhere in the file) with its line. A file that does not compile is
 * reported with LuaJ's compiler message, the same one running it would give.
 */
@API(status = INTERNAL)
public final class ScriptScanner {

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
                        tests.add(new DeclaredTest(literal, names.claim(literal), call.beginLine, call.endLine));
                    } else {
                        computedNames[0]++;
                    }
                }
                super.visit(call);
            }
        });
        return ScanResult.of(tests, computedNames[0]);
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
