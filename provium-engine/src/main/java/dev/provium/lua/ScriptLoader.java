package dev.provium.lua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Loads Lua code from files: the test script itself, {@code dofile}/{@code loadfile} with relative paths resolved
 * against the project directory, and {@code require("x.y")} searching the test roots for {@code x/y.lua} (or
 * {@code x/y/init.lua}). Chunks are named by their path under the project, which is what messages and
 * tracebacks show.
 */
final class ScriptLoader {

    private final Globals globals;
    private final FileRunContext context;

    private ScriptLoader(Globals globals, FileRunContext context) {
        this.globals = globals;
        this.context = context;
    }

    static ScriptLoader install(Globals globals, FileRunContext context) {
        ScriptLoader loader = new ScriptLoader(globals, context);
        globals.set("dofile", LuaFunctions.named("dofile", loader::dofile));
        globals.set("loadfile", LuaFunctions.named("loadfile", loader::loadfile));
        globals.get("package").get("searchers").set(2, LuaFunctions.named("provium searcher", loader::search));
        globals.get("os").set("exit", LuaFunctions.named("os.exit", args -> {
            throw new LuaError("os.exit() would end the JVM that runs every test; "
                    + "use error() to fail or todo() to skip instead");
        }));
        return loader;
    }

    /**
     * Compiles a file into a function; a missing file or a syntax error raises a Lua error. The chunk is named
     * {@code @<chunkName>}, Lua's mark of a file name, so messages show the name itself.
     */
    LuaValue load(Path file, String chunkName, String mode, LuaValue environment) {
        context.fileRead(file);
        try (InputStream in = Files.newInputStream(file)) {
            return globals.load(in, "@" + chunkName, mode, environment);
        } catch (NoSuchFileException e) {
            throw new LuaError("cannot open " + chunkName + ": no such file (looked for " + file + ")");
        } catch (IOException e) {
            throw new LuaError("cannot read " + chunkName + " (" + file + "): " + e.getMessage());
        }
    }

    LuaValue load(Path file, String chunkName) {
        return load(file, chunkName, "bt", globals);
    }

    private Varargs dofile(Varargs args) {
        Path file = resolve("dofile", args);
        return load(file, chunkName(file)).invoke();
    }

    /** Like Lua's: returns nil and the message instead of raising. */
    private Varargs loadfile(Varargs args) {
        Path file = resolve("loadfile", args);
        String mode = args.arg(2).isnil() ? "bt" : args.arg(2).checkjstring();
        LuaValue environment = args.narg() >= 3 ? args.arg(3) : globals;
        try {
            return load(file, chunkName(file), mode, environment);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaErrorText.value(e));
        }
    }

    private Path resolve(String function, Varargs args) {
        if (args.arg1().isnil()) {
            throw Args.bad(function, 1, "reading a chunk from standard input is not supported; give a file name");
        }
        String name = Args.string(function, args, 1).tojstring();
        return context.projectDir().resolve(name).normalize();
    }

    /** A {@code package.searchers} entry: returns a loader and the file, or why nothing was found. */
    private Varargs search(Varargs args) {
        String module = Args.string("require", args, 1).tojstring();
        String relative = module.replace('.', '/');
        StringBuilder tried = new StringBuilder();
        for (Path root : context.moduleRoots()) {
            for (Path candidate : new Path[] {root.resolve(relative + ".lua"), root.resolve(relative).resolve("init.lua")}) {
                if (Files.isRegularFile(candidate)) {
                    return LuaValue.varargsOf(load(candidate, chunkName(candidate)), LuaValue.valueOf(candidate.toString()));
                }
                context.fileRead(candidate);
                tried.append("\n\tno file '").append(candidate).append('\'');
            }
        }
        return LuaValue.valueOf(tried.toString());
    }

    private String chunkName(Path file) {
        return FileRunContext.chunkNameOf(file, context.projectDir());
    }
}
