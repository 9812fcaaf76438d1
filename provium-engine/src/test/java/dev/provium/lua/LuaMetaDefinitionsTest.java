package dev.provium.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.provium.config.ProviumConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The LuaLS definitions shipped in the engine jar (META-INF/provium/luals/provium.lua) against the bindings a test file
 * really gets: every global, {@code provium.*} function, VM and worker method and string-wrapper function has a
 * definition, and nothing is defined that does not exist.
 */
class LuaMetaDefinitionsTest {

    static final String RESOURCE = "META-INF/provium/luals/provium.lua";

    private static String meta;

    @BeforeAll
    static void readDefinitions() throws IOException {
        try (InputStream in = LuaMetaDefinitionsTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE + " on the class path").isNotNull();
            meta = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void startsAsAMetaFile() {
        assertThat(meta).startsWith("---@meta");
    }

    @Test
    void everyProviumGlobalIsDefined(@TempDir Path project) throws IOException {
        Globals globals = fileGlobals(project);
        Globals standard = JsePlatform.debugGlobals();
        Set<String> provided = new TreeSet<>();
        for (Varargs entry = globals.next(LuaValue.NIL); !entry.arg1().isnil(); entry = globals.next(entry.arg1())) {
            String name = entry.arg1().tojstring();
            // standard Lua names that Provium re-implements (error, pcall, dofile, …) keep their standard meaning,
            // which LuaLS knows; assert is defined anyway for its message argument
            if (standard.get(name).isnil() && entry.arg(2).isfunction()) {
                provided.add(name);
            }
        }
        provided.add("assert");
        assertThat(defined("^function (\\w+)\\(")).isEqualTo(provided);
        assertThat(provided).contains("test", "todo", "assert_eq", "assert_contains");
    }

    @Test
    void everyProviumFunctionIsDefined(@TempDir Path project) throws IOException {
        LuaTable provium = fileGlobals(project).get("provium").checktable();
        Set<String> provided = keys(provium);
        assertThat(provided).contains("create", "fixture", "shutdown_all", "pack", "unpack");
        assertThat(defined("^function provium\\.(\\w+)\\(")).isEqualTo(provided);
    }

    @Test
    void everyVmAndWorkerMethodIsDefined() {
        Set<String> guest = defined("^function Guest:(\\w+)\\(");
        Set<String> vm = new TreeSet<>(guest);
        vm.addAll(defined("^function Vm:(\\w+)\\("));
        Set<String> worker = new TreeSet<>(guest);
        worker.addAll(defined("^function Worker:(\\w+)\\("));
        assertThat(vm).isEqualTo(keys(LuaGuest.vmMethods()));
        assertThat(worker).isEqualTo(keys(LuaGuest.workerMethods()));
        assertThat(vm).contains("boot", "exec", "syscall_ptr", "ioctl_buf", "spawn");
    }

    @Test
    void everyStringWrapperFunctionIsDefined() {
        Set<String> provided = new TreeSet<>();
        LuaTable wrapper = StringWrapper.wrap(new byte[0]).checktable();
        for (String name : keys(wrapper)) {
            if (wrapper.get(name).isfunction()) {
                provided.add(name);
            }
        }
        assertThat(defined("^function StringWrapper\\.(\\w+)\\(")).isEqualTo(provided);
    }

    private static Globals fileGlobals(Path project) throws IOException {
        Path script = Files.writeString(project.resolve("t.lua"), "");
        ResourceScope engineScope = new ResourceScope("LuaMetaDefinitionsTest");
        List<FileBindings> extensions = new VmBindings(line -> { })
                .create(ProviumConfig.load(project), engineScope);
        FileRunContext context = new FileRunContext(script, "t.lua", project, List.of(project));
        TestHandler ignoreTests = (name, line, options, body) -> true;
        return LuaRuntime.create(context, ignoreTests, extensions).globals();
    }

    private static Set<String> keys(LuaTable table) {
        Set<String> names = new TreeSet<>();
        for (Varargs entry = table.next(LuaValue.NIL); !entry.arg1().isnil(); entry = table.next(entry.arg1())) {
            names.add(entry.arg1().tojstring());
        }
        return names;
    }

    private static Set<String> defined(String regex) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(meta);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
