package dev.provium.engine;

import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;

/** Discovery: the selector resolvers, sharing one file lookup and one descriptor factory per request. */
final class DiscoverySelectorResolver {

    private DiscoverySelectorResolver() {
    }

    static void resolve(EngineDiscoveryRequest request, ProviumEngineDescriptor engine, ProviumConfiguration config) {
        TestFiles files = new TestFiles(config);
        EngineDiscoveryRequestResolver.<ProviumEngineDescriptor>builder()
                .addSelectorResolver(context -> new LuaFileResolver(files,
                        new FileDescriptors(config, context.getIssueReporter()), context.getIssueReporter()))
                .addSelectorResolver(context -> new UniqueIdResolver(files,
                        new FileDescriptors(config, context.getIssueReporter())))
                .build()
                .resolve(request, engine);
    }
}
