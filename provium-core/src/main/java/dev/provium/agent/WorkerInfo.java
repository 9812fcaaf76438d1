package dev.provium.agent;

/** A worker the agent started: the channel it serves, its process id and its thread id. */
public record WorkerInfo(int channel, long pid, long tid, boolean thread) {
}
