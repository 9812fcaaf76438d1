package dev.provium.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * A Lua file as the engine knows it.
 *
 * @param path        absolute, normalized path
 * @param base        the test root it lies under (else the project directory, else its own directory)
 * @param id          its path under {@code base} with {@code /} separators: the unique id segment and display name
 * @param chunkName   its path under the project directory (else absolute): how Lua messages name it
 * @param moduleRoots where {@code require} looks, in order: the test roots, then {@code base}
 */
record LuaFile(Path path, Path base, String id, String chunkName, List<Path> moduleRoots) {

    Path relativePath() {
        return base.relativize(path);
    }
}
