package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A worker the agent started: the channel it serves, its process id and its thread id. */
@API(status = INTERNAL)
public record WorkerInfo(int channel, long pid, long tid, boolean thread) {
}
