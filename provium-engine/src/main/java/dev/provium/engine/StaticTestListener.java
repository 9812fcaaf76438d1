package dev.provium.engine;

import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.engine.reporting.ReportEntry;

/**
 * Forwards a statically discovered test's events. Such tests run through the file's dynamic test executor (so
 * they run when the Lua program reaches them), which would announce them as newly registered: they are not.
 */
final class StaticTestListener implements EngineExecutionListener {

    private final EngineExecutionListener delegate;

    StaticTestListener(EngineExecutionListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void dynamicTestRegistered(TestDescriptor testDescriptor) {
        // already part of the test plan
    }

    @Override
    public void executionSkipped(TestDescriptor testDescriptor, String reason) {
        delegate.executionSkipped(testDescriptor, reason);
    }

    @Override
    public void executionStarted(TestDescriptor testDescriptor) {
        delegate.executionStarted(testDescriptor);
    }

    @Override
    public void executionFinished(TestDescriptor testDescriptor, TestExecutionResult testExecutionResult) {
        delegate.executionFinished(testDescriptor, testExecutionResult);
    }

    @Override
    public void reportingEntryPublished(TestDescriptor testDescriptor, ReportEntry entry) {
        delegate.reportingEntryPublished(testDescriptor, entry);
    }

    @Override
    public void fileEntryPublished(TestDescriptor testDescriptor, FileEntry file) {
        delegate.fileEntryPublished(testDescriptor, file);
    }
}
