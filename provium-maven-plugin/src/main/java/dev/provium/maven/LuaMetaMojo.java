package dev.provium.maven;

import java.io.File;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the LuaLS (lua-language-server) definitions of Provium's Lua API ({@code ---@meta}: {@code provium},
 * {@code Vm}, {@code Worker}, {@code test}, {@code assert_eq}, …) for editors: point {@code .luarc.json}'s
 * {@code workspace.library} at the directory ({@code provium:init} does).
 *
 * @since 0.1.0
 */
@Mojo(name = "lua-meta", requiresProject = false, threadSafe = true)
public class LuaMetaMojo extends AbstractMojo {

    /** Where {@code provium.lua} is written. @since 0.1.0 */
    @Parameter(property = "provium.luaMeta.outputDirectory", defaultValue = "${basedir}/" + LuaMeta.DEFAULT_DIRECTORY)
    private File outputDirectory;

    @Override
    public void execute() throws MojoExecutionException {
        getLog().info("provium: wrote LuaLS definitions " + LuaMeta.write(outputDirectory.toPath()));
    }
}
