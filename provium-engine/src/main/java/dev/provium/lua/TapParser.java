package dev.provium.lua;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses TAP 13/14 and KTAP output into {@link TapResult}s: result lines with optional numbers, descriptions and
 * {@code # SKIP}/{@code # TODO} directives; subtests as indented blocks (TAP 14 and KTAP: four spaces or a tab
 * per level, named by {@code # Subtest: name}) followed by the parent's result line; {@code #} diagnostics
 * before a result (as kselftest and KUnit print them) and YAML blocks ({@code ---} … {@code ...}) after one;
 * plans ({@code 1..N}, also {@code 1..0 # SKIP reason}); and {@code Bail out!}. Lines that are none of these
 * (a test's own output) are kept as diagnostics of the next result.
 */
final class TapParser {

    private static final Pattern RESULT = Pattern.compile("^(not ok|ok)\\b\\s*(\\d+)?\\s*(?:-\\s*)?(.*)$");
    private static final Pattern PLAN = Pattern.compile("^(\\d+)\\.\\.(\\d+)\\s*(?:#\\s*(.*))?$");
    private static final Pattern VERSION = Pattern.compile("^(?:K?TAP) version \\d+\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBTEST = Pattern.compile("^#\\s*Subtest:\\s*(.*)$");
    private static final Pattern DIRECTIVE = Pattern.compile("^(SKIP|TODO)\\S*\\s*(.*)$", Pattern.CASE_INSENSITIVE);

    private final List<Line> lines = new ArrayList<>();
    private int next;

    /** What a block of TAP at one level of indentation said. */
    record Block(String name, List<TapResult> results, Optional<Integer> plannedCount, Optional<String> bailOut) {

        /** Problems with the block as a whole: results missing from the plan. Empty when none. */
        Optional<String> planProblem() {
            if (bailOut.isPresent() || plannedCount.isEmpty() || plannedCount.get() == results.size()) {
                return Optional.empty();
            }
            return Optional.of("the TAP plan announced " + plannedCount.get() + " tests but " + results.size()
                    + (results.size() == 1 ? " result was" : " results were") + " reported");
        }
    }

    private record Line(int indent, String text) {
    }

    private TapParser(String text) {
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            int indent = 0;
            int i = 0;
            for (; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == ' ') {
                    indent++;
                } else if (c == '\t') {
                    indent += 4 - indent % 4;
                } else {
                    break;
                }
            }
            lines.add(new Line(indent, line.substring(i).stripTrailing()));
        }
    }

    /** The results of the top-level block of {@code text}. */
    static Block parse(String text) {
        TapParser parser = new TapParser(text);
        parser.skipBlank();
        int indent = parser.next < parser.lines.size() ? parser.lines.get(parser.next).indent() : 0;
        return parser.block(indent, null);
    }

    private Block block(int indent, String inheritedName) {
        String name = inheritedName;
        List<TapResult> results = new ArrayList<>();
        List<String> diagnostics = new ArrayList<>();
        Optional<Integer> planned = Optional.empty();
        Optional<String> bailOut = Optional.empty();
        Block pendingSubtest = null;
        String pendingSubtestName = null;
        while (next < lines.size()) {
            Line line = lines.get(next);
            if (line.text().isEmpty()) {
                next++;
                continue;
            }
            if (line.indent() < indent) {
                break;
            }
            if (line.indent() > indent) {
                if (pendingSubtest != null) {
                    results.add(unfinished(pendingSubtest, diagnostics));
                    diagnostics = new ArrayList<>();
                }
                pendingSubtest = block(line.indent(), pendingSubtestName);
                pendingSubtestName = null;
                continue;
            }
            next++;
            String text = line.text();
            Matcher result = RESULT.matcher(text);
            Matcher plan = PLAN.matcher(text);
            Matcher subtest = SUBTEST.matcher(text);
            if (result.matches()) {
                TapResult parsed = result(result, results.size() + 1, diagnostics, pendingSubtest, indent);
                results.add(parsed);
                diagnostics = new ArrayList<>();
                pendingSubtest = null;
            } else if (plan.matches()) {
                int count = Integer.parseInt(plan.group(2)) - Integer.parseInt(plan.group(1)) + 1;
                planned = Optional.of(Math.max(0, count));
            } else if (subtest.matches()) {
                if (results.isEmpty() && name == null && indent > 0) {
                    name = subtest.group(1).strip();
                } else {
                    pendingSubtestName = subtest.group(1).strip();
                }
            } else if (text.startsWith("Bail out!")) {
                bailOut = Optional.of(text.substring("Bail out!".length()).strip());
                List<String> why = new ArrayList<>(diagnostics);
                why.add(text);
                results.add(new TapResult("Bail out!", false, TapResult.Directive.NONE, "", why, List.of()));
                diagnostics = new ArrayList<>();
            } else if (VERSION.matcher(text).matches()) {
                // the version line carries nothing a result needs
            } else if (text.startsWith("#")) {
                diagnostics.add(text.substring(1).strip());
            } else {
                diagnostics.add(text);
            }
        }
        if (pendingSubtest != null) {
            results.add(unfinished(pendingSubtest, diagnostics));
        }
        return new Block(name, results, planned, bailOut);
    }

    private TapResult result(Matcher line, int position, List<String> diagnostics, Block subtest, int indent) {
        boolean ok = line.group(1).equals("ok");
        String rest = line.group(3);
        int hash = unescapedHash(rest);
        String description = unescape((hash < 0 ? rest : rest.substring(0, hash)).strip());
        TapResult.Directive directive = TapResult.Directive.NONE;
        String reason = "";
        if (hash >= 0) {
            Matcher d = DIRECTIVE.matcher(rest.substring(hash + 1).strip());
            if (d.matches()) {
                directive = d.group(1).toUpperCase(Locale.ROOT).equals("SKIP") ? TapResult.Directive.SKIP : TapResult.Directive.TODO;
                reason = d.group(2).strip();
            } else {
                description = unescape(rest.strip()); // a '#' that introduces no directive is part of the name
            }
        }
        String number = line.group(2);
        if (description.isEmpty()) {
            description = subtest != null && subtest.name() != null ? subtest.name()
                    : "test " + (number != null ? number : String.valueOf(position));
        }
        List<String> all = new ArrayList<>(diagnostics);
        all.addAll(yamlBlock(indent));
        List<TapResult> children = new ArrayList<>();
        if (subtest != null) {
            children.addAll(subtest.results());
            subtest.planProblem().ifPresent(problem -> all.add("subtest: " + problem));
        }
        return new TapResult(description, ok, directive, reason, all, children);
    }

    /** A subtest block with no result line after it (the output stopped): it failed. */
    private static TapResult unfinished(Block subtest, List<String> diagnostics) {
        List<String> why = new ArrayList<>(diagnostics);
        why.add("the subtest has no result line (the output ended or was cut short)");
        return new TapResult(subtest.name() != null ? subtest.name() : "subtest", false, TapResult.Directive.NONE, "",
                why, subtest.results());
    }

    /** The YAML diagnostics block right after a result line, indented more than it, without its markers. */
    private List<String> yamlBlock(int indent) {
        int at = next;
        if (at >= lines.size() || lines.get(at).indent() <= indent || !lines.get(at).text().equals("---")) {
            return List.of();
        }
        int yamlIndent = lines.get(at).indent();
        List<String> yaml = new ArrayList<>();
        for (int i = at + 1; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.indent() == yamlIndent && line.text().equals("...")) {
                next = i + 1;
                return yaml;
            }
            if (!line.text().isEmpty() && line.indent() < yamlIndent) {
                break;
            }
            yaml.add(" ".repeat(Math.max(0, line.indent() - yamlIndent)) + line.text());
        }
        return List.of(); // not a closed YAML block: leave the lines to the parser
    }

    private void skipBlank() {
        while (next < lines.size() && lines.get(next).text().isEmpty()) {
            next++;
        }
    }

    private static int unescapedHash(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '#') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String text) {
        return text.replace("\\#", "#").replace("\\\\", "\\");
    }
}
