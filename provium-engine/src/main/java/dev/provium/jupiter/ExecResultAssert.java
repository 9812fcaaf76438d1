package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.provium.guest.ExecResult;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/** Assertions on an {@link ExecResult}; see {@link ProviumAssertions#assertThat(ExecResult)}. */
@API(status = EXPERIMENTAL)
public final class ExecResultAssert extends AbstractAssert<ExecResultAssert, ExecResult> {

    ExecResultAssert(ExecResult actual) {
        super(actual, ExecResultAssert.class);
    }

    /** The command exited with 0 (not killed, not timed out). */
    public ExecResultAssert succeeded() {
        isNotNull();
        if (actual.exitCode() != 0 || actual.timedOut()) {
            failWithMessage("%s", "Expecting " + command() + " to succeed, but it " + ending() + "\n" + streams());
        }
        return this;
    }

    /** The command did not exit with 0. */
    public ExecResultAssert failed() {
        isNotNull();
        if (actual.exitCode() == 0 && !actual.timedOut()) {
            failWithMessage("%s", "Expecting " + command() + " to fail, but it exited with 0\n" + streams());
        }
        return this;
    }

    /** The command exited with {@code expected} (128 + signal when a signal killed it). */
    public ExecResultAssert exitCode(int expected) {
        isNotNull();
        if (actual.exitCode() != expected) {
            failWithMessage("%s", "Expecting " + command() + " to exit with " + expected + ", but it " + ending() + "\n" + streams());
        }
        return this;
    }

    /** String assertions on standard output (UTF-8); their failures name the command and show its stderr too. */
    public AbstractStringAssert<?> stdout() {
        isNotNull();
        return Assertions.assertThat(actual.stdoutText())
                .as("%s", "stdout of " + command() + " (" + ending() + "; stderr: " + quoted(actual.stderrText()) + ")");
    }

    /** String assertions on standard error (UTF-8); their failures name the command and show its stdout too. */
    public AbstractStringAssert<?> stderr() {
        isNotNull();
        return Assertions.assertThat(actual.stderrText())
                .as("%s", "stderr of " + command() + " (" + ending() + "; stdout: " + quoted(actual.stdoutText()) + ")");
    }

    private String command() {
        return actual.command().isEmpty() ? "the command" : "`" + actual.command() + "`";
    }

    private String ending() {
        if (actual.timedOut()) {
            return "timed out (exit code " + actual.exitCode() + ")";
        }
        if (actual.signal() != 0) {
            return "was killed by signal " + actual.signal() + " (exit code " + actual.exitCode() + ")";
        }
        return "exited with " + actual.exitCode();
    }

    private String streams() {
        return "stdout:\n" + indented(actual.stdoutText()) + "stderr:\n" + indented(actual.stderrText());
    }

    private static String indented(String text) {
        if (text.isEmpty()) {
            return "  (empty)\n";
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.stripTrailing().split("\n", -1)) {
            out.append("  ").append(line).append('\n');
        }
        return out.toString();
    }

    private static String quoted(String text) {
        return text.isEmpty() ? "empty" : "\"" + text.stripTrailing() + "\"";
    }
}
