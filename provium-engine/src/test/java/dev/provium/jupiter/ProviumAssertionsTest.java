package dev.provium.jupiter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.provium.guest.ExecResult;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The failure messages of ProviumAssertions: the command, how it ended and both of its streams. */
class ProviumAssertionsTest {

    private static ExecResult result(String command, int exit, String stdout, String stderr) {
        return new ExecResult(command, exit, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8),
                false, 0);
    }

    @Test
    void succeededPassesOnExitZeroAndShowsCommandAndBothStreamsOtherwise() {
        ProviumAssertions.assertThat(result("true", 0, "", "")).succeeded();

        assertThatThrownBy(() -> ProviumAssertions.assertThat(result("cat /nope", 1, "partial\nout", "cat: can't open '/nope'"))
                .succeeded())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting `cat /nope` to succeed, but it exited with 1\n"
                        + "stdout:\n  partial\n  out\nstderr:\n  cat: can't open '/nope'\n");
    }

    @Test
    void aTimeoutOrASignalIsNamed() {
        ExecResult timedOut = new ExecResult("sleep 99", 137, new byte[0], new byte[0], true, 9);
        assertThatThrownBy(() -> ProviumAssertions.assertThat(timedOut).succeeded())
                .hasMessageStartingWith("Expecting `sleep 99` to succeed, but it timed out (exit code 137)\nstdout:\n  (empty)\n");
        ExecResult killed = new ExecResult("kill -9 $$", 137, new byte[0], new byte[0], false, 9);
        assertThatThrownBy(() -> ProviumAssertions.assertThat(killed).exitCode(0))
                .hasMessageStartingWith("Expecting `kill -9 $$` to exit with 0, but it was killed by signal 9 (exit code 137)");
    }

    @Test
    void exitCodeAndFailed() {
        ExecResult missing = result("ls /nope", 2, "", "No such file");
        ProviumAssertions.assertThat(missing).failed().exitCode(2);
        assertThatThrownBy(() -> ProviumAssertions.assertThat(missing).exitCode(1))
                .hasMessage("Expecting `ls /nope` to exit with 1, but it exited with 2\nstdout:\n  (empty)\nstderr:\n  No such file\n");
        assertThatThrownBy(() -> ProviumAssertions.assertThat(result("true", 0, "fine", "")).failed())
                .hasMessage("Expecting `true` to fail, but it exited with 0\nstdout:\n  fine\nstderr:\n  (empty)\n");
    }

    @Test
    void streamAssertionsNameTheCommandAndShowTheOtherStream() {
        ExecResult uname = result("uname -r", 0, "6.1.0-56-amd64\n", "warning: old busybox");
        ProviumAssertions.assertThat(uname).succeeded().stdout().startsWith("6.1");

        assertThatThrownBy(() -> ProviumAssertions.assertThat(uname).stdout().contains("7.0"))
                .hasMessageContaining("[stdout of `uname -r` (exited with 0; stderr: \"warning: old busybox\")]")
                .hasMessageContaining("6.1.0-56-amd64")
                .hasMessageContaining("7.0");
        assertThatThrownBy(() -> ProviumAssertions.assertThat(uname).stderr().isEmpty())
                .hasMessageContaining("[stderr of `uname -r` (exited with 0; stdout: \"6.1.0-56-amd64\")]")
                .hasMessageContaining("warning: old busybox");
    }

    @Test
    void aResultWithoutItsCommandSaysSo() {
        ExecResult anonymous = new ExecResult(3, new byte[0], new byte[0], false, 0);
        assertThatThrownBy(() -> ProviumAssertions.assertThat(anonymous).succeeded())
                .hasMessageStartingWith("Expecting the command to succeed, but it exited with 3");
    }

    @Test
    void dmesgLineAssertionsShowTheLastLinesOrTheOffendingOnes() {
        List<String> log = List.of("[    0.000000] Linux version 6.1.0", "[    1.500000] provium_demo: loaded",
                "[    1.600000] provium_demo: upper-cased 5 bytes");
        DmesgAssert dmesg = new DmesgAssert(log, "vm default");
        dmesg.containsLineContaining("upper-cased 5 bytes").containsLineMatching("provium_demo: \\w+ed$")
                .doesNotContainLineMatching("BUG|Oops");
        dmesg.lines().hasSize(3);

        assertThatThrownBy(() -> dmesg.containsLineMatching("Kernel panic"))
                .hasMessage("Expecting the kernel log of vm default to have a line matching /Kernel panic/, but none of its"
                        + " 3 lines has; the last 3:\n  " + String.join("\n  ", log) + "\n");
        assertThatThrownBy(() -> dmesg.doesNotContainLineMatching("provium_demo"))
                .hasMessage("Expecting the kernel log of vm default to have no line matching /provium_demo/, but 2 do:\n"
                        + "  [    1.500000] provium_demo: loaded\n  [    1.600000] provium_demo: upper-cased 5 bytes\n");
    }

    @Test
    void dmesgShowsOnlyTheLastTwentyLines() {
        List<String> log = java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList();
        assertThatThrownBy(() -> new DmesgAssert(log, "vm default").containsLineContaining("absent"))
                .hasMessageContaining("none of its 30 lines has; the last 20:\n  line 11\n")
                .hasMessageEndingWith("  line 30\n")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("line 10\n"));
    }
}
