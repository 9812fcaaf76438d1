package dev.provium.engine;

import dev.provium.config.Constants;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.spi.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The JUnit Platform Console Launcher finds the engine on the class path and writes its legacy XML report. */
class ConsoleLauncherTest {
    @TempDir
    Path reports;

    @Test
    void selectDirectoryRunsTheLuaFilesAndTheXmlReportListsThem() throws Exception {
        ToolProvider junit = ToolProvider.findFirst("junit").orElseThrow();
        Path project = Scenarios.dir("console");
        StringWriter out = new StringWriter();
        int exit = junit.run(new PrintWriter(out), new PrintWriter(out), "execute",
                "--disable-banner", "--include-engine=provium",
                "--select-directory=" + project.resolve("net"),
                "--config=" + Constants.parameter(Constants.PROJECT_DIR) + "=" + project,
                "--config=" + Constants.parameter(Constants.ROOTS) + "=.",
                "--reports-dir=" + reports);

        assertThat(exit).as("exit code, output:%n%s", out).isEqualTo(1);
        assertThat(out.toString()).contains("is todo").contains("not implemented yet");
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(reports.resolve("TEST-provium.xml").toFile());
        assertThat(testcase(xml, "passes").getAttribute("classname")).isEqualTo("net/report.lua");
        assertThat(child(testcase(xml, "fails an assertion"), "failure").getAttribute("message"))
                .contains("expected text").contains("actual text");
        assertThat(child(testcase(xml, "raises an error"), "error").getAttribute("message")).contains("something broke");
        assertThat(child(testcase(xml, "is todo"), "skipped").getTextContent()).contains("not implemented yet");
    }

    private static Element testcase(Document xml, String name) {
        var cases = xml.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            if (testcase.getAttribute("name").equals(name)) {
                return testcase;
            }
        }
        throw new AssertionError("no testcase named '" + name + "' in the report");
    }

    private static Element child(Element testcase, String tag) {
        var found = testcase.getElementsByTagName(tag);
        assertThat(found.getLength()).as("<%s> in testcase %s", tag, testcase.getAttribute("name")).isEqualTo(1);
        return (Element) found.item(0);
    }
}
