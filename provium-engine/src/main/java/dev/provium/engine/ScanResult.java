package dev.provium.engine;

import java.util.List;
import java.util.Optional;

/**
 * What the static scan learned about a file: the tests it declares by literal name, and whether it calls
 * {@code test()} at all (also with computed names, which are registered when they run).
 */
final class ScanResult {

    private final List<DeclaredTest> tests;
    private final boolean callsTest;
    private final String problem;
    private final int problemLine;
    private final boolean broken;

    private ScanResult(List<DeclaredTest> tests, boolean callsTest, String problem, int problemLine, boolean broken) {
        this.tests = List.copyOf(tests);
        this.callsTest = callsTest;
        this.problem = problem;
        this.problemLine = problemLine;
        this.broken = broken;
    }

    static ScanResult of(List<DeclaredTest> tests, int computedNameCalls) {
        return new ScanResult(tests, !tests.isEmpty() || computedNameCalls > 0, null, 0, false);
    }

    /** The file cannot compile (or be read): it becomes a single failing test. */
    static ScanResult broken(String message, int line) {
        return new ScanResult(List.of(), false, message, line, true);
    }

    /**
     * The file compiles but the scanner's parser rejected it, so its tests are unknown until it runs: it becomes a
     * container whose tests are all registered at run time.
     */
    static ScanResult unscannable(String message, int line) {
        return new ScanResult(List.of(), true, message, line, false);
    }

    /** The file's top-level tests; their sub-tests hang below them. */
    List<DeclaredTest> tests() {
        return tests;
    }

    boolean callsTest() {
        return callsTest;
    }

    boolean isBroken() {
        return broken;
    }

    /** Why the scan did not work, if it did not. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    int problemLine() {
        return problemLine;
    }

    Optional<DeclaredTest> testNamed(String name) {
        return tests.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The test whose call spans the line (the innermost one when calls nest). */
    Optional<DeclaredTest> testAt(int line) {
        Optional<DeclaredTest> found = innermost(tests, line);
        for (Optional<DeclaredTest> inner = found; inner.isPresent(); inner = innermost(inner.get().children(), line)) {
            found = inner;
        }
        return found;
    }

    private static Optional<DeclaredTest> innermost(List<DeclaredTest> candidates, int line) {
        return candidates.stream().filter(t -> t.spans(line)).reduce((outer, inner) -> inner.line() >= outer.line() ? inner : outer);
    }
}
