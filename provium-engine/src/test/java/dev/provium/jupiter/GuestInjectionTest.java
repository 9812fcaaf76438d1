package dev.provium.jupiter;

import static dev.provium.jupiter.JupiterKit.failure;
import static dev.provium.jupiter.JupiterKit.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.TestExecutionResult.Status.FAILED;
import static org.junit.platform.engine.TestExecutionResult.Status.SUCCESSFUL;

import dev.provium.vm.Vm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** VMs injected by the ProviumExtension into real guests (each boot takes a few seconds under TCG: keep them few). */
class GuestInjectionTest {

    @Provium
    @TestKitOnly
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerTest {
        static final List<Vm> SEEN = new CopyOnWriteArrayList<>();

        @Test
        @Order(1)
        void injected(@Guest(memory = "256M", files = "/etc/motd=data/motd.txt") Vm vm) {
            SEEN.add(vm);
            ProviumAssertions.assertThat(vm.exec("cat /etc/motd")).succeeded().stdout().isEqualTo("hello from the host\n");
            ProviumAssertions.assertThat(vm.exec("grep MemTotal /proc/meminfo")).succeeded().stdout()
                    .matches("MemTotal: +2[0-9]{5} kB\\n");
        }

        @Test
        @Order(2)
        void failing(@Guest(memory = "256M") Vm vm) {
            SEEN.add(vm);
            vm.exec("echo 'provium-test: before the failure' > /dev/kmsg");
            ProviumAssertions.assertThat(vm.exec("cat /nope")).succeeded();
        }
    }

    @Provium
    @TestKitOnly
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassInstance {
        static final List<Vm> SEEN = new CopyOnWriteArrayList<>();
        private final Vm vm;

        PerClassInstance(@Guest(memory = "256M") Vm vm) {
            this.vm = vm;
            SEEN.add(vm);
        }

        @Test
        @Order(1)
        void first() {
            ProviumAssertions.assertThat(vm.exec("echo 2 > /tmp/state")).succeeded();
        }

        @Test
        @Order(2)
        void secondSeesTheSameGuest() {
            ProviumAssertions.assertThat(vm.exec("cat /tmp/state")).succeeded().stdout().isEqualTo("2\n");
        }
    }

    /** One guest for the class, a fixture's copy and a Lua file's guest beside it: two at a time, as the pool allows. */
    @Provium
    @TestKitOnly
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassBeforeAll {
        static Vm shared;
        static Vm fromFixture;

        @BeforeAll
        static void boot(@Guest(memory = "256M") Vm vm) {
            shared = vm;
            ProviumAssertions.assertThat(vm.exec("echo 1 > /tmp/state")).succeeded();
        }

        @Test
        @Order(1)
        void first() {
            ProviumAssertions.assertThat(shared.exec("echo 2 > /tmp/state")).succeeded();
        }

        @Test
        @Order(2)
        void fromAFixture(@Guest(fixture = "marked") Vm vm) {
            fromFixture = vm;
            assertThat(new String(vm.readFile("/etc/marker"), StandardCharsets.UTF_8)).isEqualTo("from the fixture\n");
            ProviumAssertions.assertThat(shared.exec("cat /tmp/state")).succeeded().stdout().isEqualTo("2\n");
        }

        @TestFactory
        @Order(3)
        Stream<DynamicNode> luaNextToJava() {
            return LuaTests.files("guest.lua");
        }
    }

    @Provium
    @TestKitOnly
    static class Misused {
        @Test
        void fixtureWithMemory(@Guest(fixture = "marked", memory = "1G") Vm vm) {
        }
    }

    @Test
    void perTestGuestsStopAfterTheirTestAndAFailedOneKeepsItsLog() {
        PerTest.SEEN.clear();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        EngineExecutionResults results;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            results = JupiterKit.run("vm", PerTest.class);
        } finally {
            System.setOut(original);
        }
        String stdout = captured.toString(StandardCharsets.UTF_8);

        assertThat(result(results, "injected(Vm)").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(result(results, "failing(Vm)").getStatus()).isEqualTo(FAILED);
        assertThat(failure(results, "failing(Vm)")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting `cat /nope` to succeed, but it exited with 1")
                .hasMessageContaining("No such file or directory");
        assertThat(PerTest.SEEN).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(vm -> assertThat(vm.state()).isEqualTo(Vm.State.STOPPED));

        Map<String, String> entries = reportEntries(results, "failing(Vm)");
        assertThat(entries).containsKey(GuestScope.CONSOLE_LOG_ENTRY);
        Path log = Path.of(entries.get(GuestScope.CONSOLE_LOG_ENTRY));
        assertThat(log).exists();
        assertThat(PerTest.SEEN.get(1).consoleLog()).contains(log);
        assertThat(stdout).contains("provium: console log of vm default (test failing(Vm) in PerTest): " + log);
        String tail = PerTest.SEEN.get(1).consoleTail().stripTrailing();
        if (!tail.isEmpty()) { // a quiet kernel may write nothing to the console
            assertThat(entries).containsEntry(GuestScope.CONSOLE_TAIL_ENTRY, tail);
            assertThat(stdout).contains("--- guest console of vm default (last lines) ---\n" + tail);
        }
        assertThat(entries.get(GuestScope.KERNEL_LOG_ENTRY)).as("the kernel log tail").contains("provium-test: before the failure");
        assertThat(stdout).contains("--- kernel log of vm default (last lines) ---\n" + entries.get(GuestScope.KERNEL_LOG_ENTRY));
        assertThat(reportEntries(results, "injected(Vm)")).isEmpty();
        assertThat(PerTest.SEEN.get(0).consoleLog().filter(Files::exists)).as("a passing guest's log is not kept").isEmpty();
    }

    @Test
    void aPerClassInstanceKeepsItsConstructorGuestForAllItsTests() {
        PerClassInstance.SEEN.clear();
        EngineExecutionResults results = JupiterKit.run("vm", PerClassInstance.class);

        assertThat(JupiterKit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(PerClassInstance.SEEN).hasSize(1).allSatisfy(vm -> assertThat(vm.state()).isEqualTo(Vm.State.STOPPED));
    }

    @Test
    void aBeforeAllGuestLivesUntilTheClassIsDoneBesideFixturesAndLuaFiles() {
        EngineExecutionResults results = JupiterKit.run("vm", PerClassBeforeAll.class);

        assertThat(JupiterKit.failures(results)).isEmpty();
        results.testEvents().assertStatistics(stats -> stats.succeeded(3));
        assertThat(result(results, "the guest answers").getStatus()).isEqualTo(SUCCESSFUL);
        assertThat(List.of(PerClassBeforeAll.shared, PerClassBeforeAll.fromFixture)).doesNotHaveDuplicates()
                .allSatisfy(vm -> assertThat(vm.state()).isEqualTo(Vm.State.STOPPED));
    }

    @Test
    void aFixtureTakesNoOtherSettings() {
        EngineExecutionResults results = JupiterKit.run("vm", Misused.class);

        assertThat(failure(results, "fixtureWithMemory(Vm)"))
                .hasMessageContaining("@Guest(fixture = \"marked\") takes the profile, memory, cpus and files of the fixture's script");
    }

    private static Map<String, String> reportEntries(EngineExecutionResults results, String displayName) {
        return results.allEvents().reportingEntryPublished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().equals(displayName))
                .flatMap(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs().entrySet().stream())
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
