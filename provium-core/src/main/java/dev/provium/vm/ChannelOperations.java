package dev.provium.vm;

import dev.provium.internal.agent.AgentChannel;
import dev.provium.guest.ExecResult;
import dev.provium.guest.Job;
import dev.provium.guest.JobResult;
import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;

import java.time.Duration;
import java.util.function.Function;

/**
 * The guest operations of {@link GuestChannel}, each sent to one channel of the agent with the VM's
 * operation timeout: channel 0 for a {@link Vm}, the worker's own for a {@link Worker}.
 */
abstract class ChannelOperations implements GuestChannel {
    private static final int FILE_MODE = 0644;

    /** Runs operation on this channel; {@code what} names it in errors. */
    abstract <T> T onChannel(String what, Function<AgentChannel, T> operation);

    abstract Duration operationTimeout();

    @Override
    public ExecResult exec(String command) {
        return exec(command, operationTimeout());
    }

    /** Runs {@code /bin/sh -c command}; the agent kills it when {@code timeout} expires. */
    public ExecResult exec(String command, Duration timeout) {
        return onChannel("exec `" + command + "`", channel -> channel.exec(command, timeout));
    }

    @Override
    public byte[] readFile(String path) {
        return onChannel("read_file " + path, channel -> channel.readFile(path, operationTimeout()));
    }

    @Override
    public void writeFile(String path, byte[] data) {
        onChannel("write_file " + path, channel -> {
            channel.writeFile(path, data, FILE_MODE, operationTimeout());
            return null;
        });
    }

    @Override
    public SyscallResult syscall(SyscallRequest request) {
        return onChannel(request.toString(), channel -> channel.syscall(request, operationTimeout()));
    }

    @Override
    public Job background(String command) {
        return onChannel("background `" + command + "`", channel -> channel.background(command, operationTimeout()));
    }

    @Override
    public JobResult jobWait(long id, Duration wait) {
        return onChannel("job_wait " + id, channel -> channel.jobWait(id, wait, operationTimeout()));
    }

    @Override
    public JobResult jobKill(long id) {
        return onChannel("job_kill " + id, channel -> channel.jobKill(id, operationTimeout()));
    }

    @Override
    public byte[] dmesg() {
        return onChannel("dmesg", channel -> channel.dmesg(operationTimeout()));
    }
}
