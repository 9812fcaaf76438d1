package dev.provium.internal.agent;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.provium.guest.Job;

import dev.provium.guest.SyscallRequest;

import dev.provium.guest.SyscallResult;

import dev.provium.guest.JobResult;

import dev.provium.guest.ExecResult;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The requests of one channel of an {@link AgentClient}: the agent itself (channel 0) or one of its
 * workers. Requests of a channel are served one at a time, in order; channels do not wait for each other.
 */
@API(status = INTERNAL)
public final class AgentChannel {
    private final AgentClient client;
    private final int number;

    AgentChannel(AgentClient client, int number) {
        this.client = client;
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** As {@link AgentClient#exec(String, Duration)}, on this channel. */
    public ExecResult exec(String command, Duration timeout) {
        return client.exec(number, command, timeout);
    }

    public byte[] readFile(String path, Duration timeout) {
        ReplyBuffer data = new ReplyBuffer("read_file " + path);
        client.readFile(number, path, data, timeout);
        return data.toByteArray();
    }

    /** As {@link AgentClient#writeFile(String, byte[], int, Duration)}, on this channel. */
    public void writeFile(String path, byte[] data, int mode, Duration timeout) {
        client.writeFile(number, path, new ByteArrayInputStream(data), mode, timeout);
    }

    public byte[] ping(byte[] payload, Duration timeout) {
        return client.call(number, "ping", Protocol.PING, payload, timeout, Protocol.PONG, client::unexpected).payload();
    }

    /** Runs the call in the thread serving this channel, so descriptors it opens serve later calls. */
    public SyscallResult syscall(SyscallRequest request, Duration timeout) {
        Frame reply = client.call(number, request.toString(), request.isIoctl() ? Protocol.IOCTL : Protocol.SYSCALL,
                payload(request), timeout, Protocol.SYSCALL_RESULT, client::unexpected);
        PayloadReader fields = new PayloadReader(reply);
        long value = fields.u64("result");
        int count = fields.u8("count");
        List<byte[]> buffers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buffers.add(fields.bytes("buffer " + i));
        }
        fields.end();
        if (count != request.returnedBuffers()) {
            throw new AgentException("agent " + client.name() + " returned " + count + " buffers for " + request
                    + " but " + request.returnedBuffers() + " were asked for");
        }
        return new SyscallResult(value, buffers);
    }

    /** Starts {@code /bin/sh -c command} in the background; its output is kept in the guest's memory. */
    public Job background(String command, Duration timeout) {
        byte[] payload = new PayloadBuilder().str(command).build();
        Frame started = client.call(number, "background `" + command + "`", Protocol.BACKGROUND, payload, timeout,
                Protocol.JOB_STARTED, client::unexpected);
        PayloadReader fields = new PayloadReader(started);
        long id = fields.u32("job id");
        long pid = fields.u32("pid");
        fields.end();
        return new Job(id, pid);
    }

    /**
     * Waits up to {@code wait} (zero: not at all) for job {@code id} to end, then returns everything it
     * wrote so far and its status; the host gives the agent {@code timeout} more to answer. Once a result
     * says the job has ended, the agent forgets the job.
     */
    public JobResult jobWait(long id, Duration wait, Duration timeout) {
        long waitMillis = wait.toMillis();
        if (wait.isNegative() || waitMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("job wait " + wait + " is not between 0 and 2^32-1 ms");
        }
        byte[] payload = new PayloadBuilder().u32(id).u32(waitMillis).build();
        Duration total = wait.plus(timeout);
        return jobResult("job_wait " + id, Protocol.JOB_WAIT, payload, total);
    }

    /** Kills job {@code id}'s process group and returns its final result. */
    public JobResult jobKill(long id, Duration timeout) {
        return jobResult("job_kill " + id, Protocol.JOB_KILL, new PayloadBuilder().u32(id).build(), timeout);
    }

    /** The kernel's log buffer, read by the agent (klogctl), one line per record without the level prefix. */
    public byte[] dmesg(Duration timeout) {
        ReplyBuffer log = new ReplyBuffer("dmesg");
        Frame done = client.call(number, "dmesg", Protocol.DMESG, new byte[0], timeout, Protocol.DONE, frame -> {
            if (frame.type() != Protocol.DATA_REPLY) {
                client.unexpected(frame);
            }
            log.writeBytes(frame.payload());
        });
        PayloadReader fields = new PayloadReader(done);
        long total = fields.u64("byte count");
        fields.end();
        if (total != log.size()) {
            throw new AgentException("agent " + client.name() + " says the kernel log has " + total
                    + " bytes but sent " + log.size());
        }
        return log.toByteArray();
    }

    private JobResult jobResult(String what, int type, byte[] payload, Duration timeout) {
        OutputCollector output = new OutputCollector(client.name(), what);
        Frame status = client.call(number, what, type, payload, timeout, Protocol.JOB_STATUS, output);
        PayloadReader fields = new PayloadReader(status);
        int exitCode = fields.i32("exit code");
        int flags = fields.u8("flags");
        int signal = fields.u8("signal");
        fields.end();
        return new JobResult(exitCode, output.stdout(), output.stderr(), (flags & Protocol.JOB_RUNNING) != 0,
                (flags & Protocol.JOB_SIGNALED) != 0 ? signal : 0);
    }

    @Override
    public String toString() {
        return "channel " + number + " of " + client;
    }
    /** SYSCALL/IOCTL payload, PROTOCOL.md: number (SYSCALL only), arguments, buffers, pointer arguments, patches. */
    static byte[] payload(SyscallRequest request) {
        PayloadBuilder payload = new PayloadBuilder();
        request.number().ifPresent(payload::u64);
        long[] args = request.args();
        payload.u8(args.length);
        for (long arg : args) {
            payload.u64(arg);
        }
        payload.u8(request.buffers().size());
        for (SyscallRequest.Buffer buffer : request.buffers()) {
            payload.u32(buffer.size()).u8(buffer.returned() ? Protocol.BUFFER_RETURN : 0).bytes(buffer.data());
        }
        int[] argumentBuffers = request.argumentBuffers();
        payload.u8((int) Arrays.stream(argumentBuffers).filter(b -> b >= 0).count());
        for (int arg = 0; arg < argumentBuffers.length; arg++) {
            if (argumentBuffers[arg] >= 0) {
                payload.u8(arg).u8(argumentBuffers[arg]);
            }
        }
        payload.u16(request.patches().size());
        for (SyscallRequest.Patch patch : request.patches()) {
            payload.u8(patch.buffer()).u32(patch.offset()).u8(patch.target());
        }
        return payload.build();
    }
}
