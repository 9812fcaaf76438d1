package dev.provium.guest;

/** A background job: its id on the channel that started it, and the pid of its shell. */
public record Job(long id, long pid) {
}
