package dev.provium.lua;

import java.util.List;

/**
 * One result line of TAP or KTAP output ({@code ok 1 - name # SKIP reason}), with the diagnostics that came
 * with it and the results of its subtests.
 *
 * @param name        the description, or {@code test N} when the line has none
 * @param ok          whether the line says {@code ok}
 * @param directive   SKIP, TODO or none
 * @param reason      the text after the directive (may be empty)
 * @param diagnostics comment lines before the result (kselftest style) and the YAML block after it, in order
 * @param subtests    the results of the indented block before this line
 */
record TapResult(String name, boolean ok, Directive directive, String reason, List<String> diagnostics,
        List<TapResult> subtests) {

    enum Directive { NONE, SKIP, TODO }

    TapResult {
        diagnostics = List.copyOf(diagnostics);
        subtests = List.copyOf(subtests);
    }

    /** Whether this result counts as a failure: {@code not ok} without TODO or SKIP. */
    boolean failed() {
        return !ok && directive == Directive.NONE;
    }
}
