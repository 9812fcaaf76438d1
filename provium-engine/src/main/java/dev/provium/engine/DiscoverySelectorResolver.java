package dev.provium.engine;

import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.support.discovery.DiscoveryIssueReporter;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;

/** Discovery: the selector resolvers, sharing one file lookup and one descriptor factory per request. */
final class DiscoverySelectorResolver {

    private DiscoverySelectorResolver() {
    }

    static void resolve(EngineDiscoveryRequest request, ProviumEngineDescriptor engine, EngineSettings config) {
        DiscoveryIssueReporter issues = DiscoveryIssueReporter.deduplicating(
                DiscoveryIssueReporter.forwarding(request.getDiscoveryListener(), engine.getUniqueId()));
        TestFiles files = new TestFiles(config);
        FileDescriptors descriptors = new FileDescriptors(config, issues);
        EngineDiscoveryRequestResolver.<ProviumEngineDescriptor>builder()
                .addSelectorResolver(new LuaFileResolver(files, descriptors, issues))
                .addSelectorResolver(new UniqueIdResolver(engine.getUniqueId(), files, descriptors))
                .build()
                .resolve(request, engine, issues);
    }
}
