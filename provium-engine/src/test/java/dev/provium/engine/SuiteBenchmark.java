package dev.provium.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.provium.config.Constants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The suite of issue #11 as a new user writes it: 13 Lua files, 54 tests: four files with two guests each (one
 * of them 2 vCPUs), two with one guest, two that resume a fixture, five pure-Lua files. Runs the suite once with
 * the default parallelism and then every file on its own, one after the other, and prints the wall time against
 * the sum of the per-file times. Asserts that every test passed, nothing about time. Run with
 * {@code scripts/bench suite}.
 */
@EnabledIfSystemProperty(named = "provium.bench", matches = "true|suite")
class SuiteBenchmark {

    @TempDir
    Path project;

    @Test
    void parallelSuiteAgainstFilesOneByOne() throws IOException {
        Path root = Files.createDirectories(project.resolve("src/test/lua"));
        List<Path> files = writeSuite(root);

        long start = System.nanoTime();
        EngineExecutionResults all = engine("parallel").selectors(selectDirectory(root.toFile())).execute();
        double wall = seconds(System.nanoTime() - start);
        assertThat(VmLuaTest.failures(all)).isEmpty();
        long tests = all.testEvents().finished().count();

        double sum = 0;
        for (Path file : files) {
            long fileStart = System.nanoTime();
            EngineExecutionResults alone = engine("serial").configurationParameter(Constants.parameter(Constants.PARALLELISM), "1")
                    .selectors(new DiscoverySelector[] {selectFile(file.toFile())}).execute();
            sum += seconds(System.nanoTime() - fileStart);
            assertThat(VmLuaTest.failures(alone)).isEmpty();
        }

        System.out.printf(Locale.ROOT, "suite benchmark: %d files, %d tests, %d cores: wall %.1f s with the default"
                        + " parallelism, %.1f s as the sum of the files run one by one; ratio %.2f%n",
                files.size(), tests, Runtime.getRuntime().availableProcessors(), wall, sum, wall / sum);
    }

    private EngineTestKit.Builder engine(String cache) {
        return EngineTestKit.engine(new ProviumTestEngine())
                .configurationParameter(Constants.parameter(Constants.PROJECT_DIR), project.toString())
                .configurationParameter(Constants.parameter(Constants.CACHE_DIR), project.resolve("cache-" + cache).toString())
                .configurationParameter(Constants.parameter(Constants.CONSOLE_PROGRESS), "true");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** 13 files, 54 tests. */
    private static List<Path> writeSuite(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String cpus = i == 1 ? "2" : "1";
            files.add(Files.writeString(root.resolve("two_guests_" + i + ".lua"), """
                    local a = provium.create()
                    a:boot({memory = "256M", cpus = %s})
                    local b = provium.create()
                    b:boot({memory = "256M"})
                    test("both answer", function()
                      assert(a:exec("true").ok and b:exec("true").ok)
                    end)
                    test("they do not share files", function()
                      a:write_file("/tmp/mark", "a")
                      assert(not b:exec("test -e /tmp/mark").ok)
                    end)
                    test("syscalls", function()
                      for _ = 1, 200 do assert(a:exec("true").ok) end
                    end)
                    test("some work", function()
                      assert(b:exec("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done").ok)
                    end)
                    test("kernel log", function()
                      assert(#a:exec("dmesg").stdout.value > 0)
                    end)
                    """.formatted(cpus)));
        }
        for (int i = 1; i <= 2; i++) {
            files.add(Files.writeString(root.resolve("one_guest_" + i + ".lua"), """
                    local vm = provium.create()
                    vm:boot({memory = "256M"})
                    test("uname", function() assert(vm:exec("uname -r").ok) end)
                    test("proc", function() assert_contains(vm:read_file("/proc/version"), "Linux") end)
                    test("loop", function() for _ = 1, 100 do assert(vm:exec("true").ok) end end)
                    test("write", function() vm:write_file("/tmp/x", "y"); assert_eq("y", vm:read_file("/tmp/x")) end)
                    """));
        }
        Files.createDirectories(root.resolve("fixtures"));
        Files.writeString(root.resolve("fixtures/base.lua"), """
                local vm = provium.create()
                vm:boot({memory = "256M"})
                vm:exec("mkdir -p /srv && echo ready > /srv/state")
                """);
        for (int i = 1; i <= 2; i++) {
            files.add(Files.writeString(root.resolve("fixture_user_" + i + ".lua"), """
                    local vm = provium.fixture("base")
                    test("state", function() assert_eq("ready", vm:exec("cat /srv/state").stdout.trim()) end)
                    test("writes", function() assert(vm:exec("echo x > /srv/mine").ok) end)
                    test("loop", function() for _ = 1, 100 do assert(vm:exec("true").ok) end end)
                    test("again", function() assert(vm:exec("test -e /srv/mine").ok) end)
                    """));
        }
        for (int i = 1; i <= 5; i++) {
            files.add(Files.writeString(root.resolve("pure_" + i + ".lua"), """
                    test("arithmetic", function() assert_eq(4, 2 + 2) end)
                    test("strings", function() assert_eq("ab", "a" .. "b") end)
                    test("tables", function()
                      local t = {}
                      for k = 1, 100000 do t[k] = k end
                      assert_eq(100000, #t)
                    end)
                    """ + (i <= 3 ? "test(\"pack\", function() assert_eq(4, #provium.pack(\"u32\", 1)) end)\n" : "")));
        }
        return files;
    }
}
