package dev.provium.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;
import static org.junit.platform.engine.support.discovery.SelectorResolver.Resolution.unresolved;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.discovery.ClasspathResourceSelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.DirectorySelector;
import org.junit.platform.engine.discovery.FilePosition;
import org.junit.platform.engine.discovery.FileSelector;
import org.junit.platform.engine.discovery.UriSelector;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.SelectorResolver;

/**
 * Resolves selectors that point at Lua files on disk: files (with an optional line, selecting the test at that
 * line), directories, {@code file:} URIs, classpath roots and classpath resources.
 */
final class LuaFileResolver implements SelectorResolver {

    private final TestFiles files;
    private final FileDescriptors descriptors;
    private final DiscoveryIssueReporter issues;

    LuaFileResolver(TestFiles files, FileDescriptors descriptors, DiscoveryIssueReporter issues) {
        this.files = files;
        this.descriptors = descriptors;
        this.issues = issues;
    }

    @Override
    public Resolution resolve(FileSelector selector, Context context) {
        return resolveFile(selector.getPath(), null, selector.getPosition(), context);
    }

    @Override
    public Resolution resolve(DirectorySelector selector, Context context) {
        return resolveDirectory(selector.getPath(), null, context);
    }

    @Override
    public Resolution resolve(UriSelector selector, Context context) {
        URI uri = selector.getUri();
        if (!"file".equals(uri.getScheme())) {
            return unresolved();
        }
        Path path = Path.of(URI.create(uri.getScheme() + ":" + uri.getRawPath()));
        Optional<FilePosition> position = Optional.ofNullable(uri.getQuery()).flatMap(FilePosition::fromQuery);
        return Files.isDirectory(path) ? resolveDirectory(path, null, context) : resolveFile(path, null, position, context);
    }

    @Override
    public Resolution resolve(ClasspathRootSelector selector, Context context) {
        URI root = selector.getClasspathRoot();
        if (!"file".equals(root.getScheme()) || !Files.isDirectory(Path.of(root))) {
            return unresolved();
        }
        Path directory = Path.of(root).toAbsolutePath().normalize();
        return resolveDirectory(directory, directory, context);
    }

    @Override
    public Resolution resolve(ClasspathResourceSelector selector, Context context) {
        String name = selector.getClasspathResourceName();
        Optional<TestFiles.ClasspathLocation> location = TestFiles.classpathResource(name);
        if (location.isEmpty()) {
            if (name.endsWith(".lua") && TestFiles.isPackagedResource(name)) {
                issues.reportIssue(DiscoveryIssue.create(Severity.WARNING, "classpath resource " + name
                        + " is inside an archive; Lua tests must be plain files to run"));
            }
            return unresolved();
        }
        Path path = location.get().path();
        return Files.isDirectory(path) ? resolveDirectory(path, location.get().classpathRoot(), context)
                : resolveFile(path, location.get().classpathRoot(), selector.getPosition(), context);
    }

    private Resolution resolveDirectory(Path directory, Path classpathRoot, Context context) {
        if (!Files.isDirectory(directory)) {
            return unresolved();
        }
        Set<Match> matches = new LinkedHashSet<>();
        for (LuaFile file : files.inDirectory(directory, classpathRoot)) {
            descriptors.add(context, file).ifPresent(d -> matches.add(Match.exact(d, d::selectWhole)));
        }
        return matches.isEmpty() ? unresolved() : Resolution.matches(matches);
    }

    private Resolution resolveFile(Path path, Path classpathRoot, Optional<FilePosition> position, Context context) {
        if (!path.getFileName().toString().endsWith(".lua") || !Files.isRegularFile(path)) {
            return unresolved();
        }
        LuaFile file = files.locate(path, classpathRoot);
        Optional<String> excluded = files.exclusionReason(file);
        if (excluded.isPresent()) {
            issues.reportIssue(DiscoveryIssue.builder(Severity.INFO,
                    file.chunkName() + " is not run as a test: " + excluded.get())
                    .source(FileSource.from(file.path().toFile())));
            return unresolved();
        }
        Optional<LuaFileDescriptor> descriptor = descriptors.add(context, file);
        if (descriptor.isEmpty()) {
            return unresolved();
        }
        LuaFileDescriptor fileDescriptor = descriptor.get();
        Optional<DeclaredTest> test = position.flatMap(p -> fileDescriptor.scan().testAt(p.getLine()));
        if (test.isPresent()) {
            return Resolution.selectors(Set.of(selectUniqueId(fileDescriptor.testId(test.get().path()))));
        }
        return Resolution.match(Match.exact(fileDescriptor, fileDescriptor::selectWhole));
    }
}
