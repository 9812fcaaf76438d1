package dev.provium.vm;

import dev.provium.guest.SyscallRequest;
import dev.provium.internal.agent.AgentChannel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Makes a guest resumed from a snapshot a machine of its own, through the agent's raw system calls
 * (x86-64 numbers): its wall clock is set to the host's (a snapshot keeps the time it was saved at), and
 * fresh host randomness is credited to its RNG and the RNG reseeded at once (copies of one snapshot
 * would otherwise produce the same random bytes until the kernel reseeds by itself). The vmgenid device
 * every guest has changes on each restore too, but the kernel handles that notification asynchronously;
 * this is done before the guest is handed over.
 */
final class NewMachine {
    static final long SYS_CLOSE = 3;
    static final long SYS_CLOCK_SETTIME = 227;
    static final long SYS_OPENAT = 257;
    static final long AT_FDCWD = -100;
    static final long O_WRONLY_CLOEXEC = 01 | 02000000;
    static final long CLOCK_REALTIME = 0;
    /** _IOW('R', 0x03, int[2]): add entropy, with credit, from struct rand_pool_info. */
    static final long RNDADDENTROPY = 0x40085203L;
    /** _IO('R', 0x07): reseed the CRNG from the input pool now (Linux 4.17 and later). */
    static final long RNDRESEEDCRNG = 0x5207L;
    static final int SEED_BYTES = 64;
    private static final SecureRandom HOST_RANDOM = new SecureRandom();

    private NewMachine() {
    }

    /**
     * Sets the clock and reseeds the RNG. A kernel that refuses (an errno result) is left as it is: the
     * guest still runs, only without that; trouble talking to the agent is an exception.
     */
    static void renew(AgentChannel agent, Duration timeout) {
        reseed(agent, timeout);
        setClock(agent, Instant.now(), timeout);
    }

    static long setClock(AgentChannel agent, Instant now, Duration timeout) {
        byte[] timespec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(now.getEpochSecond()).putLong(now.getNano()).array();
        SyscallRequest.Builder call = SyscallRequest.syscall(SYS_CLOCK_SETTIME).args(CLOCK_REALTIME, 0);
        call.pointer(1, call.buffer(timespec, timespec.length, false));
        return agent.syscall(call.build(), timeout).value();
    }

    /**
     * Opens /dev/urandom, credits it fresh host randomness (RNDADDENTROPY) and has the kernel reseed its
     * CRNG now (RNDRESEEDCRNG). Returns the raw results of open, the two ioctls and close, in that order
     * (just the open's when it failed): a kernel that accepted everything gives a descriptor and zeros.
     */
    static long[] reseed(AgentChannel agent, Duration timeout) {
        byte[] path = "/dev/urandom\0".getBytes(StandardCharsets.US_ASCII);
        SyscallRequest.Builder open = SyscallRequest.syscall(SYS_OPENAT).args(AT_FDCWD, 0, O_WRONLY_CLOEXEC);
        open.pointer(1, open.buffer(path, path.length, false));
        long fd = agent.syscall(open.build(), timeout).value();
        if (fd < 0) {
            return new long[] {fd};
        }
        long added = 0;
        long reseeded = 0;
        long closed = 0;
        try {
            byte[] seed = new byte[SEED_BYTES];
            HOST_RANDOM.nextBytes(seed);
            byte[] poolInfo = ByteBuffer.allocate(8 + SEED_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(SEED_BYTES * 8).putInt(SEED_BYTES).put(seed).array();
            SyscallRequest.Builder add = SyscallRequest.ioctl().args(fd, RNDADDENTROPY, 0);
            add.pointer(2, add.buffer(poolInfo, poolInfo.length, false));
            added = agent.syscall(add.build(), timeout).value();
            reseeded = agent.syscall(SyscallRequest.ioctl().args(fd, RNDRESEEDCRNG, 0).build(), timeout).value();
        } finally {
            closed = agent.syscall(SyscallRequest.syscall(SYS_CLOSE).args(fd).build(), timeout).value();
        }
        return new long[] {fd, added, reseeded, closed};
    }
}
