package dev.provium.maven.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one Surefire-format report per Lua file: {@code TEST-<path under root, / as .>.xml} with one
 * {@code <testcase>} per test (classname = the file's path under its root, name = the test's name). Each report is
 * written to a temporary file in the reports directory and then moved into place, so a reader sees whole reports.
 */
final class XmlReports {

    enum Status { PASSED, FAILED, ERROR, SKIPPED }

    record Case(String name, String classname, double seconds, Status status, String message, String type,
                String trace, String out) {
    }

    record Suite(String name, Instant started, double seconds, List<Case> cases, String out) {
    }

    private final Path directory;
    private final String hostname;

    XmlReports(Path directory) {
        this.directory = directory;
        this.hostname = hostname();
    }

    static String fileName(String luaPath) {
        return "TEST-" + luaPath.replace('/', '.') + ".xml";
    }

    Path write(Suite suite) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(fileName(suite.name()));
        Path temporary = Files.createTempFile(directory, ".provium-", ".xml.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                writeSuite(xml, suite);
                xml.close();
            } catch (XMLStreamException e) {
                throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return target;
    }

    private void writeSuite(XMLStreamWriter xml, Suite suite) throws XMLStreamException {
        xml.writeStartDocument("UTF-8", "1.0");
        xml.writeCharacters("\n");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", clean(suite.name()));
        xml.writeAttribute("tests", Integer.toString(suite.cases().size()));
        xml.writeAttribute("failures", count(suite, Status.FAILED));
        xml.writeAttribute("errors", count(suite, Status.ERROR));
        xml.writeAttribute("skipped", count(suite, Status.SKIPPED));
        xml.writeAttribute("time", seconds(suite.seconds()));
        xml.writeAttribute("timestamp", LocalDateTime.ofInstant(suite.started().truncatedTo(ChronoUnit.SECONDS),
                ZoneId.systemDefault()).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        xml.writeAttribute("hostname", hostname);
        xml.writeCharacters("\n");
        for (Case c : suite.cases()) {
            xml.writeCharacters("  ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("name", clean(c.name()));
            xml.writeAttribute("classname", clean(c.classname()));
            xml.writeAttribute("time", seconds(c.seconds()));
            switch (c.status()) {
                case SKIPPED -> {
                    xml.writeCharacters("\n    ");
                    xml.writeEmptyElement("skipped");
                    if (c.message() != null) {
                        xml.writeAttribute("message", clean(c.message()));
                    }
                }
                case FAILED, ERROR -> {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement(c.status() == Status.FAILED ? "failure" : "error");
                    if (c.message() != null) {
                        xml.writeAttribute("message", clean(c.message()));
                    }
                    xml.writeAttribute("type", clean(c.type()));
                    xml.writeCharacters(clean(c.trace()));
                    xml.writeEndElement();
                }
                default -> {
                }
            }
            if (c.out() != null && !c.out().isEmpty()) {
                xml.writeCharacters("\n    ");
                xml.writeStartElement("system-out");
                xml.writeCharacters(clean(c.out()));
                xml.writeEndElement();
            }
            if (c.status() != Status.PASSED || (c.out() != null && !c.out().isEmpty())) {
                xml.writeCharacters("\n  ");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
        }
        if (suite.out() != null && !suite.out().isEmpty()) {
            xml.writeCharacters("  ");
            xml.writeStartElement("system-out");
            xml.writeCharacters(clean(suite.out()));
            xml.writeEndElement();
            xml.writeCharacters("\n");
        }
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndDocument();
    }

    private static String count(Suite suite, Status status) {
        return Long.toString(suite.cases().stream().filter(c -> c.status() == status).count());
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    /** XML 1.0 cannot carry most control characters: they become '?' (tab, newline and return stay). */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            out.appendCodePoint(allowed ? cp : '?');
        });
        return out.toString();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
