package dev.provium.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import dev.provium.guest.ExecResult;
import dev.provium.guest.Job;
import dev.provium.guest.JobResult;
import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;

import java.time.Duration;

/**
 * Where guest operations run: the agent of a booted {@link Vm}, or one of its {@link Worker}s (a process or
 * thread of the agent with its own channel). System calls run in that process or thread, so a descriptor one
 * call returns serves the next; jobs belong to the channel that started them. Every operation has the VM's
 * operation timeout; refusals by the agent are {@link dev.provium.guest.AgentErrorException}s, trouble with
 * the guest is a {@link VmException}.
 */
@API(status = STABLE)
public interface GuestChannel {

    /** How messages name this channel, e.g. {@code vm default} or {@code worker on channel 2 of vm default}. */
    String describe();

    ExecResult exec(String command);

    byte[] readFile(String path);

    void writeFile(String path, byte[] data);

    SyscallResult syscall(SyscallRequest request);

    /** Starts {@code /bin/sh -c command} in the background; its output is kept in the guest. */
    Job background(String command);

    /** Waits up to {@code wait} (zero: not at all) for the job, then returns all it wrote so far and its status. */
    JobResult jobWait(long id, Duration wait);

    /** Kills the job's process group and returns its final result. */
    JobResult jobKill(long id);

    /** The kernel log, read by the agent. */
    byte[] dmesg();
}
