package dev.provium.engine;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectDirectory;


import dev.provium.lua.VmBindings;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** The kernel-testing API (system calls, ioctls, jobs, workers, dmesg) from Lua, against real guests. */
class KernelApiLuaTest {
    @Test
    void systemCallsIoctlsJobsWorkersAndDmesgWorkInARealGuest() {
        EngineExecutionResults results = Scenarios.engine("kernel", new VmBindings())
                .selectors(selectDirectory(Scenarios.dir("kernel").toFile())).execute();
        VmLuaTest.assertEveryLuaTestPassed(results);
    }

    @Test
    void argumentMistakesAreLuaErrorsNamingTheArgument() {
        EngineExecutionResults results = Scenarios.engine("kernel-args", new VmBindings())
                .selectors(selectDirectory(Scenarios.dir("kernel-args").toFile())).execute();
        VmLuaTest.assertEveryLuaTestPassed(results);
    }
}
