package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.provium.guest.ExecResult;
import dev.provium.vm.GuestChannel;

import org.apiguardian.api.API;
import org.assertj.core.api.Assertions;

/**
 * AssertJ entry point with assertions for guests; it extends {@link Assertions}, so one static import gives both:
 *
 * <pre>{@code
 * assertThat(vm.exec("uname -r")).succeeded().stdout().startsWith("6.");
 * assertThat(vm.exec("cat /nope")).exitCode(1).stderr().contains("No such file");
 * assertThat(vm).dmesg().containsLineMatching("provium_demo: .* loaded");
 * }</pre>
 *
 * Failure messages show the command, its exit code and both of its output streams.
 */
@API(status = EXPERIMENTAL)
public class ProviumAssertions extends Assertions {

    protected ProviumAssertions() {
    }

    /** Assertions on how a command ended and what it wrote. */
    public static ExecResultAssert assertThat(ExecResult actual) {
        return new ExecResultAssert(actual);
    }

    /** Assertions on a guest (a VM or a worker), e.g. on its kernel log. */
    public static GuestAssert assertThat(GuestChannel actual) {
        return new GuestAssert(actual);
    }
}
