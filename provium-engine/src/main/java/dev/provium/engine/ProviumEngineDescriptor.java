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

    /** The configuration read at discovery, used again for execution. */
    EngineSettings config() {
        return config;
    }

    @Override
    public void after(ProviumExecutionContext context) {
        try {
            context.engineScope().close();
        } finally {
            context.console().engineFinished();
        }
    }
}
