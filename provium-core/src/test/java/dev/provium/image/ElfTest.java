package dev.provium.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfTest {

    @TempDir
    Path dir;

    @Test
    void findsTheXenPvhNoteAmongOtherNotes() throws IOException {
        Elf elf = Elf.read(Files.write(dir.resolve("vmlinux"), SyntheticKernels.vmlinux(true))).orElseThrow();

        assertThat(elf.notes()).extracting(Elf.Note::name).containsExactly("GNU", "Xen");
        assertThat(elf.hasNote("Xen", 18)).isTrue();
        assertThat(elf.hasNote("Xen", 17)).isFalse();
        assertThat(elf.interpreter()).isEmpty();
    }

    @Test
    void elfWithoutTheNoteHasNone() throws IOException {
        Elf elf = Elf.read(Files.write(dir.resolve("vmlinux"), SyntheticKernels.vmlinux(false))).orElseThrow();

        assertThat(elf.hasNote("Xen", 18)).isFalse();
    }

    @Test
    void readsTheInterpreterOfADynamicExecutable() throws IOException {
        Elf elf = Elf.read(Files.write(dir.resolve("prog"), SyntheticKernels.dynamicExecutable())).orElseThrow();

        assertThat(elf.interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void theHostsStaticBusyboxHasNoInterpreter() throws IOException {
        assertThat(Elf.read(Path.of("/bin/busybox")).orElseThrow().interpreter()).isEmpty();
    }

    @Test
    void nonElfFilesAreEmpty() throws IOException {
        assertThat(Elf.read(Files.writeString(dir.resolve("text"), "hello"))).isEmpty();
        assertThat(Elf.read(Files.write(dir.resolve("empty"), new byte[0]))).isEmpty();
    }

    @Test
    void truncatedElfIsAnError() throws IOException {
        byte[] elf = SyntheticKernels.vmlinux(true);
        Path headerOnly = Files.write(dir.resolve("header-only"), Arrays.copyOf(elf, 70));
        Path shortHeader = Files.write(dir.resolve("short-header"), Arrays.copyOf(elf, 20));

        assertThatThrownBy(() -> Elf.read(headerOnly))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("runs past the end of the file");
        assertThatThrownBy(() -> Elf.read(shortHeader))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated ELF header");
    }
}
