package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ListAssert;

/**
 * Assertions on the lines of a guest's kernel log; failures show the last lines of the log (or the lines that
 * should not be there).
 */
@API(status = EXPERIMENTAL)
public final class DmesgAssert extends AbstractAssert<DmesgAssert, List<String>> {
    static final int SHOWN_LINES = 20;

    private final String guest;

    DmesgAssert(List<String> lines, String guest) {
        super(List.copyOf(lines), DmesgAssert.class);
        this.guest = guest;
    }

    /** Some line contains {@code text}. */
    public DmesgAssert containsLineContaining(String text) {
        return containsLine(line -> line.contains(text), "containing \"" + text + "\"");
    }

    /** Some line has a match of the regular expression {@code regex} (anywhere in the line). */
    public DmesgAssert containsLineMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return containsLine(line -> pattern.matcher(line).find(), "matching /" + regex + "/");
    }

    /** No line has a match of the regular expression {@code regex}. */
    public DmesgAssert doesNotContainLineMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        List<String> found = actual.stream().filter(line -> pattern.matcher(line).find()).toList();
        if (!found.isEmpty()) {
            failWithMessage("%s", "Expecting the kernel log of " + guest + " to have no line matching /" + regex
                    + "/, but " + found.size() + " do:\n" + indented(found));
        }
        return this;
    }

    /** The lines as a list, for any other AssertJ assertion. */
    public ListAssert<String> lines() {
        return Assertions.assertThat(actual).as("kernel log of %s", guest);
    }

    private DmesgAssert containsLine(Predicate<String> test, String what) {
        if (actual.stream().noneMatch(test)) {
            List<String> last = actual.subList(Math.max(0, actual.size() - SHOWN_LINES), actual.size());
            failWithMessage("%s", "Expecting the kernel log of " + guest + " to have a line " + what + ", but none of its "
                    + actual.size() + " lines has; the last " + last.size() + ":\n" + indented(last));
        }
        return this;
    }

    private static String indented(List<String> lines) {
        StringBuilder out = new StringBuilder();
        lines.forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }
}
