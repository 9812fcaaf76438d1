package dev.provium.lua;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import java.time.Duration;
import java.util.Optional;

/**
 * The options table of {@code test(name, {timeout = seconds}, fn)}.
 *
 * @param timeout the test's own time limit, overriding the file's and the configured one
 */
@API(status = INTERNAL)
public record TestOptions(Optional<Duration> timeout) {

    public static final TestOptions NONE = new TestOptions(Optional.empty());
}
