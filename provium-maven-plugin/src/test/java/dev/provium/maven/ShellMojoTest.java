package dev.provium.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellMojoTest {

    @Test
    void eachLineRunsInTheGuestUntilEndOfInput() throws IOException {
        List<String> ran = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int commands = ShellMojo.loop(new BufferedReader(new StringReader("uname\n\nfalse\n")),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), command -> {
                    ran.add(command);
                    return command.equals("uname")
                            ? new ShellMojo.Output(0, "Linux\n".getBytes(StandardCharsets.UTF_8), new byte[0])
                            : new ShellMojo.Output(1, new byte[0], "nope\n".getBytes(StandardCharsets.UTF_8));
                });
        assertThat(commands).isEqualTo(2);
        assertThat(ran).containsExactly("uname", "false");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("guest# Linux\nguest# guest# nope\n[exit 1]\nguest# ");
    }

    @Test
    void aDynamicExecutableHasAnInterpreterAndTheStaticBusyboxHasNone() throws IOException {
        assertThat(DoctorMojo.hasInterpreter(Path.of("/bin/sh").toRealPath())).isTrue();
        Path busybox = Path.of("/bin/busybox");
        if (Files.isRegularFile(busybox)) {
            assertThat(DoctorMojo.hasInterpreter(busybox)).isFalse();
        }
    }

    @Test
    void notAnElfFileIsAnError(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("x"), "#!/bin/sh\necho hello, this is not an ELF file at all......\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DoctorMojo.hasInterpreter(text))
                .isInstanceOf(IOException.class).hasMessageContaining("not a 64-bit ELF");
    }
}
