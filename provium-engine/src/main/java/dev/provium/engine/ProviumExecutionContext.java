package dev.provium.engine;

import java.util.List;
import java.util.Objects;

import dev.provium.lua.FileBindings;
import dev.provium.lua.ResourceScope;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.support.hierarchical.EngineExecutionContext;

/** What nodes need while executing: engine-wide services, and inside a file the file's execution. */
final class ProviumExecutionContext implements EngineExecutionContext {

    private final EngineExecutionListener listener;
    private final EngineSettings config;
    private final List<FileBindings> extensions;
    private final ResourceScope engineScope;
    private final ConsoleReporter console;
    private final MissingPrerequisites prerequisites;
    private final Watchdog watchdog;
    private final FileExecution file;

    ProviumExecutionContext(EngineExecutionListener listener, EngineSettings config,
            List<FileBindings> extensions, ResourceScope engineScope, ConsoleReporter console) {
        this(listener, config, extensions, engineScope, console, new MissingPrerequisites(), new Watchdog(), null);
    }

    private ProviumExecutionContext(EngineExecutionListener listener, EngineSettings config,
            List<FileBindings> extensions, ResourceScope engineScope, ConsoleReporter console,
            MissingPrerequisites prerequisites, Watchdog watchdog, FileExecution file) {
        this.listener = listener;
        this.config = config;
        this.extensions = List.copyOf(extensions);
        this.engineScope = engineScope;
        this.console = console;
        this.prerequisites = prerequisites;
        this.watchdog = watchdog;
        this.file = file;
    }

    ProviumExecutionContext forFile(FileExecution execution) {
        return new ProviumExecutionContext(listener, config, extensions, engineScope, console, prerequisites, watchdog,
                execution);
    }

    EngineExecutionListener listener() {
        return listener;
    }

    EngineSettings config() {
        return config;
    }

    List<FileBindings> extensions() {
        return extensions;
    }

    ResourceScope engineScope() {
        return engineScope;
    }

    MissingPrerequisites prerequisites() {
        return prerequisites;
    }

    /** Fires test timeouts; closed when the engine run ends. */
    Watchdog watchdog() {
        return watchdog;
    }

    ConsoleReporter console() {
        return console;
    }

    FileExecution file() {
        return Objects.requireNonNull(file, "no Lua file is executing in this context");
    }

    boolean inFile() {
        return file != null;
    }
}
