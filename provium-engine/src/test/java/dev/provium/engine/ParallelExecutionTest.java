package dev.provium.engine;

import dev.provium.config.Constants;

import static dev.provium.engine.Scenarios.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class ParallelExecutionTest {

    /**
     * Each file waits at a barrier for all three files before its first test can pass, so the run succeeds only
     * if the three files are running at the same time; the other test of each file checks they still finish.
     */
    @Test
    void filesRunAtTheSameTimeAndTheirTestsStillPass() {
        Events tests = engine("parallel", new RecordingBindings(3))
                .configurationParameter(Constants.parameter(Constants.PARALLELISM), "3")
                .selectors(selectDirectory(Scenarios.dir("parallel").toFile()))
                .execute().testEvents();

        assertThat(ExecutionTest.failures(tests)).isEmpty();
        tests.assertStatistics(stats -> stats.started(6).succeeded(6));
    }

    @Test
    void manyFilesInParallelGiveTheSameResultsAsOneAtATime() {
        for (String parallelism : new String[] {"1", "4"}) {
            Events tests = engine("api").configurationParameter(Constants.parameter(Constants.PARALLELISM), parallelism)
                    .selectors(selectDirectory(Scenarios.dir("api").toFile()), selectDirectory(Scenarios.dir("outcomes").toFile()))
                    .execute().testEvents();

            assertThat(tests.failed().count()).as("parallelism " + parallelism).isEqualTo(4);
            assertThat(tests.succeeded().count()).as("parallelism " + parallelism)
                    .isEqualTo(tests.started().count() - 4 - tests.aborted().count());
        }
    }
}
