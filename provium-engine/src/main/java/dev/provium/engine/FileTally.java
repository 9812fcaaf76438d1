package dev.provium.engine;

import java.util.ArrayList;
import java.util.List;

import dev.provium.lua.LuaFailures;
import org.junit.platform.engine.TestExecutionResult;

/** Outcomes of one file's tests, for its progress line. Used from the file's thread only. */
final class FileTally {

    record FailedTest(String name, String firstLine) {
    }

    private int passed;
    private int todo;
    private int notRun;
    private final List<FailedTest> failed = new ArrayList<>();

    void finished(String name, TestExecutionResult result) {
        switch (result.getStatus()) {
            case SUCCESSFUL -> passed++;
            case ABORTED -> {
                if (result.getThrowable().orElse(null) instanceof MissingPrerequisites.NotRun) {
                    notRun++;
                } else {
                    todo++;
                }
            }
            case FAILED -> failed.add(new FailedTest(name,
                    result.getThrowable().map(LuaFailures::firstLine).orElse("failed")));
        }
    }

    void markTodo() {
        todo++;
    }

    void markNotRun() {
        notRun++;
    }

    int passed() {
        return passed;
    }

    int todo() {
        return todo;
    }

    int notRun() {
        return notRun;
    }

    List<FailedTest> failed() {
        return failed;
    }

    int total() {
        return passed + todo + notRun + failed.size();
    }
}
