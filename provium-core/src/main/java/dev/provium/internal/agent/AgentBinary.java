package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.internal.PrivatePaths;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The agent binary packaged by the provium-agent jar as the classpath resource
 * {@value #RESOURCE}, with its build facts in {@value #PROPERTIES_RESOURCE}.
 */
@API(status = INTERNAL)
public final class AgentBinary {
    public static final String RESOURCE = "dev/provium/agent/provium-agent";
    public static final String PROPERTIES_RESOURCE = "dev/provium/agent/agent.properties";
    public static final String FILE_NAME = "provium-agent";

    private AgentBinary() {}

    /** Writes the agent to {@code directory}/provium-agent (replacing it atomically), mode 0700. */
    public static Path extractTo(Path directory) {
        Path target = directory.resolve(FILE_NAME);
        try {
            PrivatePaths.createDirectories(directory);
            Path partial = Files.createTempFile(directory, FILE_NAME, ".part");
            try {
                copyResourceTo(partial);
                return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the agent binary to " + target, e);
        }
    }

    /** Writes the agent to a new temporary file, mode 0755; the caller deletes it. */
    public static Path extractToTempFile() {
        try {
            Path file = Files.createTempFile(FILE_NAME, "");
            copyResourceTo(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the agent binary to a temporary file", e);
        }
    }

    /**
     * A short digest of the packaged agent's bytes: agents of different builds extracted into one cache
     * (JVMs running different Provium versions side by side) go to directories of their own.
     */
    public static String contentId() {
        try (InputStream in = open(RESOURCE)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath resource " + RESOURCE, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The protocol version the packaged agent was built for ({@code protocol.version}). */
    public static int protocolVersion() {
        Properties properties = new Properties();
        try (InputStream in = open(PROPERTIES_RESOURCE)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classpath resource " + PROPERTIES_RESOURCE, e);
        }
        String value = properties.getProperty("protocol.version");
        if (value == null) {
            throw new AgentException(PROPERTIES_RESOURCE + " has no protocol.version");
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new AgentException(PROPERTIES_RESOURCE + " has protocol.version=" + value
                    + ", which is not a number", e);
        }
    }

    private static void copyResourceTo(Path file) throws IOException {
        try (InputStream in = open(RESOURCE)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    private static InputStream open(String resource) {
        InputStream in = AgentBinary.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new AgentException("the classpath resource " + resource
                    + " is missing: is the provium-agent jar a dependency, and was it built?");
        }
        return in;
    }
}
