package dev.provium.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Sets up a Provium project in the current directory: {@code provium.toml}, an example test
 * {@code src/test/lua/example.lua} that boots a guest and loads the module, a module skeleton in
 * {@code src/main/module}, {@code .luarc.json} pointing at the LuaLS definitions (written too), and, when there is
 * no {@code pom.xml}, one that builds the module and runs the tests, so that {@code mvn test} passes right after.
 * Existing files are never overwritten.
 *
 * @since 0.1.0
 */
@Mojo(name = "init", requiresProject = false, threadSafe = true)
public class InitMojo extends AbstractMojo {

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    /** The groupId of a generated pom.xml. @since 0.1.0 */
    @Parameter(property = "provium.init.groupId", defaultValue = "com.example")
    private String groupId;

    /** The module's name (its .ko file); a C identifier. @since 0.1.0 */
    @Parameter(property = "provium.init.module", defaultValue = "provium_example")
    private String module;

    @Override
    public void execute() throws MojoExecutionException {
        if (!module.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new MojoExecutionException("provium.init.module must be a C identifier, got '" + module + "'");
        }
        Path dir = Path.of(session.getExecutionRootDirectory());
        String artifactId = dir.getFileName() == null ? "kernel-tests"
                : dir.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "-");
        Map<String, String> values = Map.of("groupId", groupId, "artifactId", artifactId,
                "pluginGroupId", plugin.getGroupId(), "pluginArtifactId", plugin.getArtifactId(),
                "pluginVersion", plugin.getVersion(), "module", module, "luaMeta", LuaMeta.DEFAULT_DIRECTORY);
        Map<String, String> files = new LinkedHashMap<>();
        if (!Files.exists(dir.resolve("pom.xml"))) {
            files.put("pom.xml", template("pom.xml", values));
        } else {
            getLog().info("provium: pom.xml exists; add provium-maven-plugin " + plugin.getVersion()
                    + " with the goals module and test to its build plugins (see the README)");
        }
        files.put("provium.toml", template("provium.toml", values));
        files.put("src/test/lua/example.lua", template("example.lua", values));
        files.put("src/main/module/Kbuild", template("Kbuild", values));
        files.put("src/main/module/" + module + ".c", template("module.c", values));
        files.put(".luarc.json", template("luarc.json", values));
        for (Map.Entry<String, String> file : files.entrySet()) {
            write(dir.resolve(file.getKey()), file.getValue());
        }
        getLog().info("provium: wrote " + LuaMeta.write(dir.resolve(LuaMeta.DEFAULT_DIRECTORY)));
        getLog().info("provium: done; run `mvn test` (builds src/main/module, boots a guest, runs src/test/lua)");
    }

    private void write(Path file, String content) throws MojoExecutionException {
        if (Files.exists(file)) {
            getLog().info("provium: kept existing " + file);
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            getLog().info("provium: wrote " + file);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file under dev/provium/maven/init/ with its {@code @name@} placeholders filled in. */
    private static String template(String name, Map<String, String> values) throws MojoExecutionException {
        String resource = "init/" + name + ".template";
        try (InputStream in = InitMojo.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new MojoExecutionException("the plugin lacks its resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("@" + value.getKey() + "@", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
