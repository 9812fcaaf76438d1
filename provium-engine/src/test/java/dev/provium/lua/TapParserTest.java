package dev.provium.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TapParserTest {

    private static TapResult only(TapParser.Block block) {
        assertThat(block.results()).hasSize(1);
        return block.results().get(0);
    }

    @Test
    void plainTap13ResultsWithNumbersDescriptionsAndAPlan() {
        TapParser.Block block = TapParser.parse("""
                TAP version 13
                1..3
                ok 1 - opens the device
                not ok 2 - reads back what was written
                ok 3
                """);

        assertThat(block.results()).extracting(TapResult::name)
                .containsExactly("opens the device", "reads back what was written", "test 3");
        assertThat(block.results()).extracting(TapResult::ok).containsExactly(true, false, true);
        assertThat(block.results()).extracting(TapResult::failed).containsExactly(false, true, false);
        assertThat(block.plannedCount()).contains(3);
        assertThat(block.planProblem()).isEmpty();
    }

    @Test
    void resultsWithoutNumbersOrDashesAndAPlanAtTheEnd() {
        TapParser.Block block = TapParser.parse("ok first\nnot ok\nok 7 seventh\n1..3\n");

        assertThat(block.results()).extracting(TapResult::name).containsExactly("first", "test 2", "seventh");
        assertThat(block.planProblem()).isEmpty();
    }

    @Test
    void skipAndTodoDirectivesInAnyCaseWithTheirReasons() {
        TapParser.Block block = TapParser.parse("""
                ok 1 - needs root # SKIP not running as root
                not ok 2 - known bug # TODO fix the race
                ok 3 - no reason # skip
                not ok 4 - todo passes? # todo
                ok 5 - fixed already # TODO was flaky
                ok 6 - counts \\# of files
                ok 7 - hash without directive # just a comment
                """);

        List<TapResult> r = block.results();
        assertThat(r.get(0)).extracting(TapResult::name, TapResult::directive, TapResult::reason)
                .containsExactly("needs root", TapResult.Directive.SKIP, "not running as root");
        assertThat(r.get(1)).extracting(TapResult::directive, TapResult::reason, TapResult::failed)
                .containsExactly(TapResult.Directive.TODO, "fix the race", false);
        assertThat(r.get(2)).extracting(TapResult::directive, TapResult::reason).containsExactly(TapResult.Directive.SKIP, "");
        assertThat(r.get(3).failed()).isFalse();
        assertThat(r.get(4)).extracting(TapResult::ok, TapResult::directive).containsExactly(true, TapResult.Directive.TODO);
        assertThat(r.get(5).name()).isEqualTo("counts # of files");
        assertThat(r.get(6)).extracting(TapResult::name, TapResult::directive)
                .containsExactly("hash without directive # just a comment", TapResult.Directive.NONE);
    }

    @Test
    void diagnosticsBeforeAResultBelongToItAsKselftestPrintsThem() {
        TapParser.Block block = TapParser.parse("""
                TAP version 13
                1..2
                # selftests: demo: read_test
                # expected 4 bytes, got 0
                not ok 1 selftests: demo: read_test # exit=1
                plain output line
                ok 2 selftests: demo: write_test
                """);

        assertThat(block.results().get(0).diagnostics())
                .containsExactly("selftests: demo: read_test", "expected 4 bytes, got 0");
        assertThat(block.results().get(0).name()).isEqualTo("selftests: demo: read_test # exit=1");
        assertThat(block.results().get(1).diagnostics()).containsExactly("plain output line");
    }

    @Test
    void yamlBlockAfterAResultIsItsDiagnostics() {
        TapParser.Block block = TapParser.parse("""
                TAP version 13
                not ok 1 - compares
                  ---
                  message: values differ
                  data:
                    got: 3
                    expected: 4
                  ...
                ok 2 - next
                1..2
                """);

        assertThat(block.results().get(0).diagnostics())
                .containsExactly("message: values differ", "data:", "  got: 3", "  expected: 4");
        assertThat(block.results().get(1).name()).isEqualTo("next");
        assertThat(block.planProblem()).isEmpty();
    }

    @Test
    void ktapNestedSubtestsWithSubtestNamesAndSummaries() {
        TapParser.Block block = TapParser.parse("""
                KTAP version 1
                1..2
                    KTAP version 1
                    # Subtest: demo_suite
                    1..3
                    ok 1 demo_open
                    # demo_read: EXPECTATION FAILED at demo_test.c:42
                    # Expected len == 4, but len == 0
                    not ok 2 demo_read
                    ok 3 demo_ioctl # SKIP no hardware
                # demo_suite: pass:1 fail:1 skip:1 total:3
                not ok 1 demo_suite
                    KTAP version 1
                    # Subtest: deep_suite
                    1..1
                        KTAP version 1
                        # Subtest: param_case
                        1..2
                        ok 1 param-0
                        ok 2 param-1
                    ok 1 param_case
                ok 2 deep_suite
                """);

        assertThat(block.results()).extracting(TapResult::name).containsExactly("demo_suite", "deep_suite");
        TapResult demo = block.results().get(0);
        assertThat(demo.failed()).isTrue();
        assertThat(demo.subtests()).extracting(TapResult::name).containsExactly("demo_open", "demo_read", "demo_ioctl");
        assertThat(demo.subtests().get(1).diagnostics())
                .containsExactly("demo_read: EXPECTATION FAILED at demo_test.c:42", "Expected len == 4, but len == 0");
        assertThat(demo.subtests().get(2).directive()).isEqualTo(TapResult.Directive.SKIP);
        TapResult param = block.results().get(1).subtests().get(0);
        assertThat(param.name()).isEqualTo("param_case");
        assertThat(param.subtests()).extracting(TapResult::name).containsExactly("param-0", "param-1");
        assertThat(block.planProblem()).isEmpty();
    }

    @Test
    void tap14SubtestNamedBeforeItsIndentedBlockAndTabs() {
        TapParser.Block block = TapParser.parse("TAP version 14\n# Subtest: parser\n\t1..1\n\tok 1 - parses\nok 1\n1..1\n");

        TapResult parser = only(block);
        assertThat(parser.name()).isEqualTo("parser");
        assertThat(parser.subtests()).extracting(TapResult::name).containsExactly("parses");
    }

    @Test
    void aPlanThatDoesNotMatchIsReported() {
        assertThat(TapParser.parse("1..3\nok 1\nok 2\n").planProblem())
                .contains("the TAP plan announced 3 tests but 2 results were reported");
        assertThat(TapParser.parse("1..0 # SKIP no tests here\n").planProblem()).isEmpty();
    }

    @Test
    void aSubtestWithoutItsResultLineFailsAndASubtestPlanMismatchIsNoted() {
        TapParser.Block block = TapParser.parse("""
                1..2
                    # Subtest: cut
                    1..2
                    ok 1 first
                ok 1 cut
                    # Subtest: truncated
                    1..1
                    ok 1 only
                """);

        assertThat(block.results().get(0).diagnostics()).contains("subtest: the TAP plan announced 2 tests but 1 result was reported");
        TapResult truncated = block.results().get(1);
        assertThat(truncated.name()).isEqualTo("truncated");
        assertThat(truncated.failed()).isTrue();
        assertThat(truncated.diagnostics()).contains("the subtest has no result line (the output ended or was cut short)");
    }

    @Test
    void bailOutIsAFailingResultAndEndsThePlanCheck() {
        TapParser.Block block = TapParser.parse("# setting up\n1..4\nok 1\nBail out! no /dev/demo\n");

        assertThat(block.bailOut()).contains("no /dev/demo");
        assertThat(block.results().get(1)).extracting(TapResult::name, TapResult::failed).containsExactly("Bail out!", true);
        assertThat(block.results().get(1).diagnostics()).containsExactly("Bail out! no /dev/demo");
        assertThat(block.planProblem()).isEmpty();
    }

    @Test
    void windowsLineEndsAndLeadingBlankLines() {
        TapParser.Block block = TapParser.parse("\r\n\r\nTAP version 13\r\n1..1\r\nok 1 - crlf\r\n");

        assertThat(only(block).name()).isEqualTo("crlf");
    }
}
