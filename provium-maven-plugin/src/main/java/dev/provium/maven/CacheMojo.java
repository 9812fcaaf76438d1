package dev.provium.maven;

import dev.provium.config.ProviumConfig;
import dev.provium.fixture.Fixtures;
import dev.provium.fixture.Fixtures.CachedSnapshot;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists ({@code -Dprovium.action=list}, the default) or deletes ({@code -Dprovium.action=clear}) the fixture
 * snapshots cached under {@code <cache_dir>/fixtures} of the project's configuration: name, key, size and age.
 *
 * @since 0.1.0
 */
@Mojo(name = "cache", requiresProject = false, threadSafe = true)
public class CacheMojo extends AbstractMojo {

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    /** {@code list} or {@code clear}. @since 0.1.0 */
    @Parameter(property = "provium.action", defaultValue = "list")
    private String action;

    @Override
    public void execute() throws MojoFailureException {
        ProviumConfig config = GuestKernel.config(new File(session.getExecutionRootDirectory()), session.getUserProperties());
        switch (action) {
            case "list" -> list(config);
            case "clear" -> {
                int cleared = Fixtures.clearCache(config);
                getLog().info("provium: deleted " + cleared + " fixture snapshot" + (cleared == 1 ? "" : "s")
                        + " from " + config.cacheDir().resolve("fixtures"));
            }
            default -> throw new MojoFailureException("provium.action must be list or clear, got '" + action + "'");
        }
    }

    private void list(ProviumConfig config) {
        List<CachedSnapshot> cached = Fixtures.cached(config);
        getLog().info("provium: fixture snapshots in " + config.cacheDir().resolve("fixtures") + ": " + cached.size());
        if (cached.isEmpty()) {
            return;
        }
        int width = Math.max(7, cached.stream().mapToInt(s -> s.fixture().length()).max().orElse(0));
        String format = "%-" + width + "s  %-32s  %10s  %-8s  %s";
        getLog().info(String.format(format, "fixture", "key", "size", "age", "last used"));
        long total = 0;
        for (CachedSnapshot snapshot : cached) {
            total += snapshot.sizeBytes();
            getLog().info(String.format(format, snapshot.fixture(), snapshot.key(), DoctorMojo.bytes(snapshot.sizeBytes()),
                    age(snapshot.created()), age(snapshot.lastUsed()) + " ago"));
        }
        getLog().info("total " + DoctorMojo.bytes(total) + " (cap fixture_cache_size = " + DoctorMojo.bytes(config.fixtureCacheSize().bytes()) + ")");
    }

    static String age(Instant since) {
        Duration age = Duration.between(since, Instant.now());
        if (age.toDays() > 0) {
            return age.toDays() + "d" + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h" + age.toMinutesPart() + "m";
        }
        return age.toMinutes() + "m" + age.toSecondsPart() + "s";
    }
}
