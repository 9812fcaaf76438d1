package dev.provium.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentBinaryTest {

    @Test
    void thePackagedAgentSpeaksTheClientsProtocolVersion() {
        assertThat(AgentBinary.protocolVersion()).isEqualTo(AgentClient.PROTOCOL_VERSION);
    }

    @Test
    void extractsAnExecutableCopyOfTheResource(@TempDir Path dir) throws IOException {
        Path binary = AgentBinary.extractTo(dir.resolve("bin"));

        assertThat(binary).isEqualTo(dir.resolve("bin/provium-agent")).isExecutable();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binary))).isEqualTo("rwx------");
        assertThat(Files.readAllBytes(binary)).isEqualTo(resourceBytes());
        assertThat(dir.resolve("bin")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void extractingAgainReplacesTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(AgentBinary.FILE_NAME), "stale");

        Path binary = AgentBinary.extractTo(dir);

        assertThat(Files.readAllBytes(binary)).isEqualTo(resourceBytes());
    }

    @Test
    void extractsToATemporaryFile() throws IOException {
        Path binary = AgentBinary.extractToTempFile();
        try {
            assertThat(binary).isExecutable();
            assertThat(Files.readAllBytes(binary)).isEqualTo(resourceBytes());
        } finally {
            Files.delete(binary);
        }
    }

    private static byte[] resourceBytes() throws IOException {
        try (InputStream in = AgentBinary.class.getClassLoader().getResourceAsStream(AgentBinary.RESOURCE)) {
            assertThat(in).as("classpath resource %s", AgentBinary.RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }
}
