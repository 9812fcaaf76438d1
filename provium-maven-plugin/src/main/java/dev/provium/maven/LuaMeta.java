package dev.provium.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.maven.plugin.MojoExecutionException;

/** The LuaLS definitions shipped in the engine jar, written where {@code .luarc.json} points. */
final class LuaMeta {

    static final String RESOURCE = "META-INF/provium/luals/provium.lua";
    static final String FILE_NAME = "provium.lua";
    /** Relative to the project: where provium:lua-meta writes the definitions and .luarc.json looks for them. */
    static final String DEFAULT_DIRECTORY = ".provium/luals";

    private LuaMeta() {
    }

    static Path write(Path directory) throws MojoExecutionException {
        Path target = directory.resolve(FILE_NAME);
        try (InputStream in = LuaMeta.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new MojoExecutionException(RESOURCE + " is missing from the plugin's class path (provium-engine)");
            }
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".provium", ".tmp");
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
