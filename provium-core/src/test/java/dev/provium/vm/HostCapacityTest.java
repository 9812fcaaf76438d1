package dev.provium.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostCapacityTest {
    private static final long MIB = 1 << 20;

    @Test
    void oneFilePerCoreAndAtLeastTwoWhenMemoryAllowsIt() {
        assertThat(new HostCapacity(2, 21744 * MIB).suggestedParallelism()).isEqualTo(2);
        assertThat(new HostCapacity(8, 21744 * MIB).suggestedParallelism()).isEqualTo(8);
        assertThat(new HostCapacity(1, 8192 * MIB).suggestedParallelism()).isEqualTo(2);
    }

    @Test
    void noMoreFilesThanTheFreeMemoryHoldsButAtLeastOne() {
        assertThat(new HostCapacity(16, 1536 * MIB).suggestedParallelism()).isEqualTo(3);
        assertThat(new HostCapacity(4, 100 * MIB).suggestedParallelism()).isEqualTo(1);
    }

    @Test
    void theRealHostGetsAPositiveNumber() {
        HostCapacity host = HostCapacity.probe();
        assertThat(host.suggestedParallelism()).isPositive();
        assertThat(host.toString()).contains(" core").contains("MiB free memory");
    }
}
