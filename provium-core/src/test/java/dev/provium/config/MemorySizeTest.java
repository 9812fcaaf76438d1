package dev.provium.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemorySizeTest {
    @Test
    void parsesQemuStyleSizes() {
        assertThat(MemorySize.parse("512M").bytes()).isEqualTo(512L << 20);
        assertThat(MemorySize.parse("1G").bytes()).isEqualTo(1L << 30);
        assertThat(MemorySize.parse("2048k").mebibytes()).isEqualTo(2);
        assertThat(MemorySize.parse(" 1 GiB ").mebibytes()).isEqualTo(1024);
        assertThat(MemorySize.parse("1T").mebibytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void printsTheQemuForm() {
        assertThat(MemorySize.parse("512M")).hasToString("512M");
        assertThat(MemorySize.parse("2048M")).hasToString("2G");
        assertThat(MemorySize.parse("1536M")).hasToString("1536M");
    }

    @Test
    void rejectsWhatQemuWouldMisread() {
        assertThatThrownBy(() -> MemorySize.parse("512")).hasMessageContaining("invalid memory size '512'");
        assertThatThrownBy(() -> MemorySize.parse("0M")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> MemorySize.parse("100K")).hasMessageContaining("whole number of MiB");
        assertThatThrownBy(() -> MemorySize.parse("1.5G")).hasMessageContaining("invalid memory size");
        assertThatThrownBy(() -> MemorySize.parse("-1G")).hasMessageContaining("invalid memory size");
        assertThatThrownBy(() -> new MemorySize(1000)).hasMessageContaining("whole number of MiB");
    }
}
