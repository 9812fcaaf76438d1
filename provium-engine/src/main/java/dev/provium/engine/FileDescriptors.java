package dev.provium.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.platform.engine.DiscoveryIssue;
import org.junit.platform.engine.DiscoveryIssue.Severity;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.SelectorResolver.Context;

/**
 * Creates the descriptor of each Lua file once per discovery, scanning it once; reports files that do not
 * compile (or cannot be scanned) as discovery warnings. A broken file still gets a descriptor, which fails
 * when run, so the build names it.
 */
final class FileDescriptors {

    private final EngineSettings config;
    private final DiscoveryIssueReporter issues;
    private final Map<Path, ScanResult> scans = new HashMap<>();

    FileDescriptors(EngineSettings config, DiscoveryIssueReporter issues) {
        this.config = config;
        this.issues = issues;
    }

    /** The file's descriptor under the engine, created if this discovery has not made it yet. */
    Optional<LuaFileDescriptor> add(Context context, LuaFile file) {
        return context.addToParent(parent -> {
            Optional<LuaFileDescriptor> existing = parent.getChildren().stream()
                    .filter(LuaFileDescriptor.class::isInstance)
                    .map(LuaFileDescriptor.class::cast)
                    .filter(d -> d.file().path().equals(file.path()))
                    .findFirst();
            return existing.or(() -> Optional.of(
                    new LuaFileDescriptor(parent.getUniqueId(), file, scan(file), config.classSource())));
        });
    }

    private ScanResult scan(LuaFile file) {
        return scans.computeIfAbsent(file.path(), path -> {
            ScanResult scan = ScriptScanner.scan(file);
            scan.problem().ifPresent(problem -> issues.reportIssue(DiscoveryIssue
                    .builder(Severity.WARNING, scan.isBroken() ? problem + " (the file will be reported as failed)"
                            : problem)
                    .source(scan.problemLine() > 0
                            ? FileSource.from(file.path().toFile(), FilePosition.from(scan.problemLine()))
                            : FileSource.from(file.path().toFile()))));
            return scan;
        });
    }
}
