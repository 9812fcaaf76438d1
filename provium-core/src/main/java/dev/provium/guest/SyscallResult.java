package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.List;

/**
 * The raw result of a system call (negative errno on failure, as the kernel returns it) and the
 * buffers that were asked for, after the call, in buffer order.
 */
@API(status = STABLE)
public record SyscallResult(long value, List<byte[]> buffers) {

    public SyscallResult {
        buffers = List.copyOf(buffers);
    }

    /** Buffer {@code i} of the returned ones. */
    public byte[] buffer(int i) {
        return buffers.get(i).clone();
    }
}
