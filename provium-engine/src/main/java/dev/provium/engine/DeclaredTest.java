package dev.provium.engine;

/**
 * A {@code test("literal", …)} call found by the static scan.
 *
 * @param baseName the literal as written
 * @param name     the unique name in the file ({@code baseName}, or {@code baseName [k]} for the k-th duplicate)
 * @param line     line of the call
 * @param endLine  last line of the call (the end of its function body)
 */
record DeclaredTest(String baseName, String name, int line, int endLine) {

    boolean spans(int lineNumber) {
        return line <= lineNumber && lineNumber <= endLine;
    }
}
