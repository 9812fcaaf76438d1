package dev.provium.guest;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * One raw system call (or ioctl) for the agent: integer arguments, buffers copied into the agent's
 * memory, arguments that point to buffers, and pointers patched into buffers. The agent returns the
 * buffers marked {@code returned} after the call, in buffer order. Limits (checked here and by the
 * agent): {@value #MAX_ARGS} arguments, {@value #MAX_BUFFERS} buffers, {@value #MAX_PATCHES} patches,
 * {@value #MAX_BUFFER_BYTES} bytes of buffers (each rounded up to 16).
 */
@API(status = STABLE)
public final class SyscallRequest {
    public static final int MAX_ARGS = 6;
    public static final int MAX_BUFFERS = 64;
    public static final int MAX_PATCHES = 256;
    /** The agent's arena for the buffers of one call: its largest frame payload less 4 KiB. */
    public static final int MAX_BUFFER_BYTES = 16 * 1024 * 1024 - 4096;
    /** Every buffer starts at a multiple of this many bytes in the agent's arena. */
    public static final int BUFFER_ALIGN = 16;
    /** Bytes of a pointer written into a buffer (the guest is 64-bit). */
    public static final int POINTER_SIZE = 8;

    /** A buffer of {@code size} bytes that starts with {@code data}; a {@code returned} one comes back after the call. */
    public record Buffer(byte[] data, int size, boolean returned) {
    }

    /** The address of buffer {@code target} written into buffer {@code buffer} at byte {@code offset}. */
    public record Patch(int buffer, int offset, int target) {
    }

    private final Long number;
    private final long[] args;
    private final List<Buffer> buffers;
    private final int[] argBuffer;
    private final List<Patch> patches;

    private SyscallRequest(Builder builder) {
        this.number = builder.number;
        this.args = builder.args.clone();
        this.buffers = List.copyOf(builder.buffers);
        this.argBuffer = builder.argBuffer.clone();
        this.patches = List.copyOf(builder.patches);
    }

    /** A raw system call by its number (the guest architecture's). */
    public static Builder syscall(long number) {
        return new Builder(number);
    }

    /** ioctl(2): the agent uses its architecture's number; give the arguments fd, cmd, arg. */
    public static Builder ioctl() {
        return new Builder(null);
    }

    public boolean isIoctl() {
        return number == null;
    }

    /** How many buffers the result will carry. */
    public int returnedBuffers() {
        return (int) buffers.stream().filter(Buffer::returned).count();
    }

    @Override
    public String toString() {
        return (isIoctl() ? "ioctl" : "syscall " + number) + " with " + args.length + " arguments and "
                + buffers.size() + " buffers";
    }

    /** The system call's number; empty for an ioctl, whose number the agent knows. */
    public OptionalLong number() {
        return number == null ? OptionalLong.empty() : OptionalLong.of(number);
    }

    public long[] args() {
        return args.clone();
    }

    public List<Buffer> buffers() {
        return buffers;
    }

    /** For each argument, the index of the buffer whose address it becomes, or -1 for a plain integer. */
    public int[] argumentBuffers() {
        return argBuffer.clone();
    }

    public List<Patch> patches() {
        return patches;
    }

    /** Collects a call; every mistake is an {@link IllegalArgumentException} naming it. */
    public static final class Builder {
        private final Long number;
        private long[] args = new long[0];
        private final List<Buffer> buffers = new ArrayList<>();
        private int[] argBuffer = new int[0];
        private final List<Patch> patches = new ArrayList<>();
        private long bufferBytes;

        private Builder(Long number) {
            this.number = number;
        }

        /** The full argument list; arguments that {@link #pointer} replaces are placeholders. */
        public Builder args(long... values) {
            if (values.length > MAX_ARGS) {
                throw new IllegalArgumentException("a system call takes at most " + MAX_ARGS + " arguments, got "
                        + values.length);
            }
            args = values.clone();
            int[] pointers = new int[values.length];
            Arrays.fill(pointers, -1);
            System.arraycopy(argBuffer, 0, pointers, 0, Math.min(argBuffer.length, pointers.length));
            argBuffer = pointers;
            return this;
        }

        /**
         * Adds a buffer of {@code size} bytes starting with {@code data} (zeros after it); returns its
         * index. A {@code returned} buffer comes back after the call.
         */
        public int buffer(byte[] data, long size, boolean returned) {
            if (size < 0) {
                throw new IllegalArgumentException("buffer size " + size + " is negative");
            }
            if (size < data.length) {
                throw new IllegalArgumentException("buffer size " + size + " is smaller than its " + data.length
                        + " bytes of data");
            }
            if (buffers.size() == MAX_BUFFERS) {
                throw new IllegalArgumentException("a call takes at most " + MAX_BUFFERS + " buffers");
            }
            long aligned = (size + BUFFER_ALIGN - 1) / BUFFER_ALIGN * BUFFER_ALIGN;
            if (bufferBytes + aligned > MAX_BUFFER_BYTES) {
                throw new IllegalArgumentException("the buffers of a call take at most " + MAX_BUFFER_BYTES
                        + " bytes (each rounded up to " + BUFFER_ALIGN + "); a buffer of " + size
                        + " bytes after " + bufferBytes + " does not fit");
            }
            bufferBytes += aligned;
            buffers.add(new Buffer(data.clone(), (int) size, returned));
            return buffers.size() - 1;
        }

        /** Makes argument {@code argument} (0-based, set by {@link #args}) the address of buffer {@code buffer}. */
        public Builder pointer(int argument, int buffer) {
            if (argument < 0 || argument >= args.length) {
                throw new IllegalArgumentException("argument index " + argument + " is out of range: the call has "
                        + args.length + " arguments (give the full list, with a placeholder where a buffer goes)");
            }
            requireBuffer(buffer);
            if (argBuffer[argument] >= 0) {
                throw new IllegalArgumentException("argument " + argument + " already points to buffer "
                        + argBuffer[argument]);
            }
            argBuffer[argument] = buffer;
            return this;
        }

        /** Writes the address of buffer {@code target} into buffer {@code buffer} at byte {@code offset}. */
        public Builder patch(int buffer, long offset, int target) {
            requireBuffer(buffer);
            requireBuffer(target);
            int size = buffers.get(buffer).size();
            if (offset < 0 || offset + POINTER_SIZE > size) {
                throw new IllegalArgumentException("a pointer at offset " + offset + " does not fit in buffer "
                        + buffer + " of " + size + " bytes (it needs " + POINTER_SIZE + " bytes)");
            }
            if (patches.size() == MAX_PATCHES) {
                throw new IllegalArgumentException("a call takes at most " + MAX_PATCHES + " pointer patches");
            }
            patches.add(new Patch(buffer, (int) offset, target));
            return this;
        }

        public SyscallRequest build() {
            return new SyscallRequest(this);
        }

        private void requireBuffer(int index) {
            if (index < 0 || index >= buffers.size()) {
                throw new IllegalArgumentException("no buffer " + index + ": the call has " + buffers.size()
                        + " buffers");
            }
        }
    }
}
