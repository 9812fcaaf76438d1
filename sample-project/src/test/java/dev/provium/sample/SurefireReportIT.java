package dev.provium.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Runs after the tests (failsafe, integration-test phase) and reads the XML in target/surefire-reports. Lua tests run
 * by the engine (written by provium:test, one TEST-&lt;lua path&gt;.xml per file; with -Psurefire-suite by Surefire through
 * the suite class LuaTests): one testcase per Lua test, classname = the file's path under its root, name = the test's
 * name. Java tests
 * (DemoModuleTest) and Lua files run as dynamic tests (LuaFromJavaTest): classname = the Java class, name = the
 * method, or the Lua test's name.
 */
class SurefireReportIT {
    record TestCase(String classname, String name, String status, String message, double time, String body) {
    }

    private static final String JAVA_PACKAGE = "dev.provium.sample.";
    /** Whether Surefire ran the Lua tests through the suite class (mvn verify -Psurefire-suite), not provium:test. */
    private static final boolean SUREFIRE_ROUTE = "surefire-suite".equals(System.getProperty("provium.sample.route"));
    private static final List<TestCase> cases = new ArrayList<>();
    private static final List<TestCase> luaEngineCases = new ArrayList<>();

    @BeforeAll
    static void readReports() throws Exception {
        Path reports = Path.of("target/surefire-reports");
        List<Path> files;
        try (Stream<Path> list = Files.list(reports)) {
            files = list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList();
        }
        for (Path file : files) {
            read(file);
        }
        cases.stream().filter(c -> !c.classname().startsWith(JAVA_PACKAGE)).forEach(luaEngineCases::add);
    }

    @Test
    void everyLuaTestIsATestcaseNamedAfterItsFileAndName() {
        assertThat(luaEngineCases).extracting(TestCase::classname, TestCase::name).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("guest.lua", "runs the host's kernel"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "has proc and sysfs mounted"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "reports the memory it was given"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "reads kernel parameters as JSON"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "sleeps a second in the guest"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "kselftest output becomes sub-tests"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "guest_basics"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "/proc/version is readable"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "/proc/cpuinfo is readable"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "kvm_device"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "sysfs_supported"),
                org.assertj.core.groups.Tuple.tuple("guest.lua", "hotplug of a CPU"),
                org.assertj.core.groups.Tuple.tuple("files.lua", "an injected file is in the guest at boot"),
                org.assertj.core.groups.Tuple.tuple("files.lua", "binary data survives a round trip"),
                org.assertj.core.groups.Tuple.tuple("files.lua", "a missing file is an error naming the path"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua", "insmod loads the module and it says so in the kernel log"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua", "what is written reads back"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua",
                        "an _IOR ioctl returns the statistics struct; an _IO one resets them"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua",
                        "an ioctl struct with an embedded user pointer transforms the caller's buffer"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua", "bad requests get the kernel's errors"),
                org.assertj.core.groups.Tuple.tuple("demo_module.lua", "rmmod unloads it"),
                org.assertj.core.groups.Tuple.tuple("from_fixture.lua", "a resumed copy has the module loaded"),
                org.assertj.core.groups.Tuple.tuple("from_fixture.lua", "copies do not share state"));
    }

    @Test
    void todoIsSkippedWithItsReasonAndTheRestPassed() {
        assertThat(luaEngineCases).filteredOn(c -> c.name().equals("hotplug of a CPU"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo("skipped");
                    assertThat(c.message()).isEqualTo("needs a guest booted with more than one vCPU");
                });
        assertThat(luaEngineCases).filteredOn(c -> c.name().equals("kvm_device"))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo("skipped");
                    // provium:test writes the reason of a todo() reached mid-test (an abort) as the skip message;
                    // Surefire puts the exception's class before it
                    assertThat(c.message()).isEqualTo(SUREFIRE_ROUTE
                            ? "org.opentest4j.TestAbortedException: SKIP no /dev/kvm under TCG\n"
                            : "SKIP no /dev/kvm under TCG");
                    assertThat(c.body()).doesNotContain("dev.provium.engine");
                });
        assertThat(luaEngineCases).filteredOn(c -> !c.name().equals("hotplug of a CPU") && !c.name().equals("kvm_device"))
                .extracting(TestCase::status).containsOnly("passed");
    }

    @Test
    void reportsTimeTheTestBody() {
        assertThat(cases).filteredOn(c -> c.name().equals("sleeps a second in the guest"))
                .singleElement()
                .satisfies(c -> assertThat(c.time()).isGreaterThanOrEqualTo(1.0));
    }

    @Test
    void javaTestsWithInjectedGuestsAreTestcasesOfTheirClass() {
        assertThat(cases).filteredOn(c -> c.classname().equals(JAVA_PACKAGE + "DemoModuleTest"))
                .extracting(TestCase::name, TestCase::status).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("insmodThenAnIoctlWithAUserPointerUpperCasesTheBuffer(Vm)", "passed"),
                        org.assertj.core.groups.Tuple.tuple("statisticsCountTheWritesOfAFixtureCopy(Vm)", "passed"));
    }

    @Test
    void luaFilesFromATestFactoryAreTestcasesOfTheFactorysClassNamedAfterTheLuaTest() {
        assertThat(cases).filteredOn(c -> c.classname().equals(JAVA_PACKAGE + "LuaFromJavaTest"))
                .extracting(TestCase::name, TestCase::status).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("the struct is 16 bytes: a user pointer, a length and a count", "passed"),
                        org.assertj.core.groups.Tuple.tuple("the ioctl upper-cases a copy of the fixture's loaded module", "passed"),
                        org.assertj.core.groups.Tuple.tuple("a struct for 32-bit user space", "skipped"));
        assertThat(cases).filteredOn(c -> c.name().equals("a struct for 32-bit user space")).singleElement()
                .extracting(TestCase::message).asString()
                .contains("the guest kernel has no compat ioctl for this module yet");
    }

    private static void read(Path file) throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList testcases = document.getElementsByTagName("testcase");
        for (int i = 0; i < testcases.getLength(); i++) {
            Element testcase = (Element) testcases.item(i);
            String status = "passed";
            String message = "";
            String body = "";
            for (String outcome : List.of("skipped", "failure", "error")) {
                NodeList found = testcase.getElementsByTagName(outcome);
                if (found.getLength() > 0) {
                    status = outcome;
                    Element element = (Element) found.item(0);
                    // a todo is an aborted test: Surefire writes its exception as the element's text, not a message
                    message = element.hasAttribute("message") ? element.getAttribute("message") : element.getTextContent();
                    body = element.getTextContent();
                }
            }
            String time = testcase.getAttribute("time");
            cases.add(new TestCase(testcase.getAttribute("classname"), testcase.getAttribute("name"), status, message,
                    time.isEmpty() ? 0 : Double.parseDouble(time), body));
        }
    }

}
