package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** A background job: its id on the channel that started it, and the pid of its shell. */
@API(status = STABLE)
public record Job(long id, long pid) {
}
