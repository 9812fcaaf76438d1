package dev.provium.guest;

import java.util.List;

/**
 * The raw result of a system call (negative errno on failure, as the kernel returns it) and the
 * buffers that were asked for, after the call, in buffer order.
 */
public record SyscallResult(long value, List<byte[]> buffers) {

    public SyscallResult {
        buffers = List.copyOf(buffers);
    }

    /** Buffer {@code i} of the returned ones. */
    public byte[] buffer(int i) {
        return buffers.get(i).clone();
    }
}
