package dev.provium.engine;

import java.util.List;
import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.Notices;
import dev.provium.config.ProviumConfigException;
import dev.provium.lua.LuaBindings;
import dev.provium.lua.VmBindings;

import java.util.Optional;

import dev.provium.lua.ResourceScope;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.hierarchical.ForkJoinPoolHierarchicalTestExecutorService;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestExecutorService;
import org.junit.platform.engine.support.hierarchical.SameThreadHierarchicalTestExecutorService;

/**
 * Runs Lua test files as JUnit tests: engine {@code provium} → one container per file → one test per
 * {@code test()} call. Configuration keys are in {@link dev.provium.config.Constants}.
 */
@API(status = STABLE)
public final class ProviumTestEngine extends HierarchicalTestEngine<ProviumExecutionContext> {

    /** The engine's id, as in unique ids {@code [engine:provium]} and {@code @IncludeEngines("provium")}. */
    public static final String ENGINE_ID = "provium";

    private final LuaBindings bindings;

    /** The engine as the JUnit Platform loads it. */
    public ProviumTestEngine() {
        this(new VmBindings());
    }

    /** @param bindings adds bindings beyond the core Lua API to every file (e.g. the VM bindings) */
    public ProviumTestEngine(LuaBindings bindings) {
        this.bindings = bindings;
    }

    @Override
    public String getId() {
        return ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.provium");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("provium-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineSettings config;
        try {
            config = EngineSettings.from(request.getConfigurationParameters());
        } catch (ProviumConfigException problem) {
            // one clear failure instead of a discovery exception's stack trace
            ProviumEngineDescriptor engine = new ProviumEngineDescriptor(uniqueId, null);
            engine.addChild(new ConfigurationErrorDescriptor(uniqueId, problem));
            return engine;
        }
        ProviumEngineDescriptor engine = new ProviumEngineDescriptor(uniqueId, config);
        DiscoverySelectorResolver.resolve(request, engine, config);
        return engine;
    }

    @Override
    protected HierarchicalTestExecutorService createExecutorService(ExecutionRequest request) {
        EngineSettings config = config(request);
        int parallelism = config == null ? 1 : config.parallelism();
        return parallelism == 1 ? new SameThreadHierarchicalTestExecutorService()
                : new ForkJoinPoolHierarchicalTestExecutorService(new FixedParallelism(parallelism));
    }

    @Override
    protected ProviumExecutionContext createExecutionContext(ExecutionRequest request) {
        EngineSettings config = config(request);
        if (config == null) {
            return new ProviumExecutionContext(request.getEngineExecutionListener(), null, List.of(),
                    new ResourceScope("the Provium engine run"), new ConsoleReporter(Notices.standardOutput()));
        }
        ResourceScope engineScope = new ResourceScope("the Provium engine run");
        Notices notices = Notices.of(config.project());
        if (!request.getRootTestDescriptor().getChildren().isEmpty()) {
            notices.notice(config.parallelismNotice());
        }
        return new ProviumExecutionContext(request.getEngineExecutionListener(), config,
                bindings.create(config.project(), engineScope), engineScope, new ConsoleReporter(notices));
    }

    private static EngineSettings config(ExecutionRequest request) {
        return ((ProviumEngineDescriptor) request.getRootTestDescriptor()).config();
    }
}
