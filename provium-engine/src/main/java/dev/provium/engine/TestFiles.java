package dev.provium.engine;

import dev.provium.lua.FileRunContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds Lua test files on disk and names them. A file's id is its path under the first test root that contains
 * it, else under the classpath root it was selected through, else under the project directory; {@link #byId}
 * looks in the same places, so ids round-trip.
 */
final class TestFiles {

    private final EngineSettings config;

    TestFiles(EngineSettings config) {
        this.config = config;
    }

    LuaFile locate(Path file) {
        return locate(file, null);
    }

    /** @param classpathRoot the classpath root the file was selected through, or null */
    LuaFile locate(Path file, Path classpathRoot) {
        Path path = file.toAbsolutePath().normalize();
        Path base = config.roots().stream().filter(path::startsWith).findFirst()
                .orElseGet(() -> classpathRoot != null && path.startsWith(classpathRoot) ? classpathRoot
                        : path.startsWith(config.projectDir()) ? config.projectDir() : path.getParent());
        String chunkName = FileRunContext.chunkNameOf(path, config.projectDir());
        List<Path> moduleRoots = new ArrayList<>(config.roots());
        if (!moduleRoots.contains(base)) {
            moduleRoots.add(base);
        }
        return new LuaFile(path, base, separators(base.relativize(path)), chunkName, moduleRoots);
    }

    /** The file a unique id's {@code [file:…]} segment names. */
    Optional<LuaFile> byId(String id) {
        for (Path root : config.roots()) {
            if (Files.isRegularFile(root.resolve(id))) {
                return Optional.of(locate(root.resolve(id)));
            }
        }
        if (Files.isRegularFile(config.projectDir().resolve(id))) {
            return Optional.of(locate(config.projectDir().resolve(id)));
        }
        return classpathFile(id);
    }

    /** Why a file is not a test (helper, fixture, filtered out), or empty when it is one. */
    Optional<String> exclusionReason(LuaFile file) {
        return config.filter().exclusionReason(file.relativePath());
    }

    /**
     * The test files under a directory, sorted by path. A directory that contains test roots (say the project)
     * stands for those roots: Lua files elsewhere in it (test data, scripts) are not tests.
     */
    List<LuaFile> inDirectory(Path directory, Path classpathRoot) {
        Path dir = directory.toAbsolutePath().normalize();
        boolean insideARoot = config.roots().stream().anyMatch(dir::startsWith);
        List<Path> rootsInside = config.roots().stream().filter(root -> root.startsWith(dir)).toList();
        if (!insideARoot && !rootsInside.isEmpty()) {
            return rootsInside.stream().filter(Files::isDirectory)
                    .flatMap(root -> inDirectory(root, classpathRoot).stream()).toList();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(".lua"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .map(p -> locate(p, classpathRoot))
                    .filter(file -> exclusionReason(file).isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list Lua files under " + directory + ": " + e.getMessage(), e);
        }
    }

    /** A classpath resource found on disk, and the classpath root it lies under. */
    record ClasspathLocation(Path path, Path classpathRoot) {
    }

    /** Where a classpath resource (file or directory) is on disk, unless it is missing or packaged in a jar. */
    static Optional<ClasspathLocation> classpathResource(String name) {
        String resource = name.startsWith("/") ? name.substring(1) : name;
        URL url = classLoader().getResource(resource);
        if (url == null || !"file".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(url.toURI()).toAbsolutePath().normalize();
            Path root = path;
            for (int i = 0; i < Path.of(resource).getNameCount() && root != null; i++) {
                root = root.getParent();
            }
            return Optional.of(new ClasspathLocation(path, root));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a classpath resource exists but is not a plain file (e.g. inside a jar). */
    static boolean isPackagedResource(String name) {
        URL url = classLoader().getResource(name.startsWith("/") ? name.substring(1) : name);
        return url != null && !"file".equals(url.getProtocol());
    }

    private Optional<LuaFile> classpathFile(String id) {
        return classpathResource(id)
                .filter(found -> Files.isRegularFile(found.path()))
                .map(found -> locate(found.path(), found.classpathRoot()));
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TestFiles.class.getClassLoader();
    }

    private static String separators(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
