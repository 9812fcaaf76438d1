package dev.provium.engine;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** The engine's root: when every file has run, it ends engine-wide resources and prints the summary. */
final class ProviumEngineDescriptor extends EngineDescriptor implements Node<ProviumExecutionContext> {

    private final EngineSettings config;

    ProviumEngineDescriptor(UniqueId uniqueId, EngineSettings config) {
        super(uniqueId, "Provium");
        this.config = config;
    }

    /** The configuration read at discovery, used again for execution; null when it could not be read. */
    EngineSettings config() {
        return config;
    }

    boolean configured() {
        return config != null;
    }

    @Override
    public void after(ProviumExecutionContext context) {
        try {
            context.watchdog().close();
            context.engineScope().close();
        } finally {
            if (configured()) {
                context.console().engineFinished();
            }
        }
    }
}
