package dev.provium.jupiter;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.provium.vm.GuestChannel;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a guest; see {@link ProviumAssertions#assertThat(GuestChannel)}. */
@API(status = EXPERIMENTAL)
public final class GuestAssert extends AbstractAssert<GuestAssert, GuestChannel> {

    GuestAssert(GuestChannel actual) {
        super(actual, GuestAssert.class);
    }

    /** Assertions on the guest's kernel log as it is now, line by line. */
    public DmesgAssert dmesg() {
        isNotNull();
        String log = new String(actual.dmesg(), StandardCharsets.UTF_8);
        List<String> lines = log.isEmpty() ? List.of() : List.of(log.split("\r?\n"));
        return new DmesgAssert(lines, actual.describe());
    }
}
