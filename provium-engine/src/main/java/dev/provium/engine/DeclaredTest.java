package dev.provium.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code test("literal", …)} call found by the static scan, with the {@code test("literal", …)} calls inside
 * its body (its sub-tests).
 */
final class DeclaredTest {

    private final String baseName;
    private final String name;
    private final int line;
    private final int endLine;
    private final String todo;
    private final List<String> path;
    private final List<DeclaredTest> children = new ArrayList<>();
    private final TestNames childNames = new TestNames();

    /**
     * @param baseName the literal as written
     * @param name     the unique name among its siblings ({@code baseName}, or {@code baseName [k]} for the k-th duplicate)
     * @param line     line of the call
     * @param endLine  last line of the call (the end of its function body)
     * @param todo     the reason of a {@code todo(…)} that is the body's first statement, or null
     * @param parent   the test whose body holds this call, or null at file level
     */
    DeclaredTest(String baseName, String name, int line, int endLine, String todo, DeclaredTest parent) {
        this.baseName = baseName;
        this.name = name;
        this.line = line;
        this.endLine = endLine;
        this.todo = todo;
        List<String> names = new ArrayList<>(parent == null ? List.of() : parent.path);
        names.add(name);
        this.path = List.copyOf(names);
    }

    String baseName() {
        return baseName;
    }

    String name() {
        return name;
    }

    int line() {
        return line;
    }

    int endLine() {
        return endLine;
    }

    /** Why the test is skipped before it starts: its body begins with {@code todo(…)}. */
    Optional<String> todo() {
        return Optional.ofNullable(todo);
    }

    /** The names from the file's top-level test down to this one. */
    List<String> path() {
        return path;
    }

    List<DeclaredTest> children() {
        return List.copyOf(children);
    }

    Optional<DeclaredTest> child(String childName) {
        return children.stream().filter(t -> t.name().equals(childName)).findFirst();
    }

    /** Adds a sub-test found in the body (during the scan); returns it. */
    DeclaredTest addChild(String literal, int childLine, int childEndLine, String childTodo) {
        DeclaredTest child = new DeclaredTest(literal, childNames.claim(literal), childLine, childEndLine, childTodo, this);
        children.add(child);
        return child;
    }

    boolean spans(int lineNumber) {
        return line <= lineNumber && lineNumber <= endLine;
    }

    @Override
    public String toString() {
        return String.join("/", path) + " (line " + line + ")";
    }
}
