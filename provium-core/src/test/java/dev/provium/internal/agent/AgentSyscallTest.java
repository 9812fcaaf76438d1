package dev.provium.internal.agent;

import dev.provium.guest.SyscallRequest;

import dev.provium.guest.SyscallResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SYSCALL and IOCTL against the real agent on the host (x86_64 system call numbers). */
@Tag("agent-protocol")
class AgentSyscallTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final long SYS_READ = 0;
    static final long SYS_WRITE = 1;
    static final long SYS_CLOSE = 3;
    static final long SYS_LSEEK = 8;
    static final long SYS_IOCTL = 16;
    static final long SYS_READV = 19;
    static final long SYS_WRITEV = 20;
    static final long SYS_GETPID = 39;
    static final long SYS_UNAME = 63;
    static final long SYS_GETCWD = 79;
    static final long SYS_GETTID = 186;
    static final long SYS_OPENAT = 257;
    static final long SYS_PIPE2 = 293;
    static final long AT_FDCWD = -100;
    static final long FIONREAD = 0x541B;
    static final long TCGETS = 0x5401;
    static final long EBADF = 9;
    static final long ENOTTY = 25;

    @RegisterExtension
    final RunningAgent hostAgent = new RunningAgent();

    private AgentChannel channel;

    @BeforeEach
    void connect() {
        channel = hostAgent.client().agentChannel();
    }

    @Test
    void getpidIsTheAgentsPid() {
        assertThat(call(SYS_GETPID).value()).isEqualTo(hostAgent.agent().process.pid());
    }

    @Test
    void failuresAreTheNegativeErrno() {
        assertThat(call(SYS_CLOSE, 9999).value()).isEqualTo(-EBADF);
    }

    @Test
    void unameFillsAnOutputBuffer() {
        SyscallRequest.Builder uname = SyscallRequest.syscall(SYS_UNAME).args(0);
        uname.pointer(0, uname.buffer(new byte[0], 390, true));

        SyscallResult result = channel.syscall(uname.build(), TIMEOUT);

        assertThat(result.value()).isZero();
        assertThat(cString(result.buffer(0), 0)).isEqualTo("Linux");
    }

    @Test
    void aDescriptorOpenedByOneCallServesTheNext() throws Exception {
        Path file = Files.writeString(hostAgent.dir().resolve("motd"), "hello from the host");
        long fd = openat(file);

        SyscallResult read = channel.syscall(readCall(fd, 64), TIMEOUT);

        assertThat(read.value()).isEqualTo(19);
        assertThat(new String(read.buffer(0), 0, 19, StandardCharsets.UTF_8)).isEqualTo("hello from the host");
        assertThat(call(SYS_CLOSE, fd).value()).isZero();
        assertThat(call(SYS_CLOSE, fd).value()).isEqualTo(-EBADF);
    }

    @Test
    void getcwdWritesIntoABufferPassedAsAnArgument() {
        SyscallRequest.Builder getcwd = SyscallRequest.syscall(SYS_GETCWD).args(0, 4096);
        getcwd.pointer(0, getcwd.buffer(new byte[0], 4096, true));

        SyscallResult result = channel.syscall(getcwd.build(), TIMEOUT);

        assertThat(result.value()).isPositive();
        assertThat(cString(result.buffer(0), 0)).isEqualTo(hostAgent.dir().toString());
    }

    @Test
    void writevAndReadvFollowPatchedIovecs() {
        long[] pipe = pipe();
        SyscallRequest.Builder writev = SyscallRequest.syscall(SYS_WRITEV).args(pipe[1], 0, 2);
        int iov = writev.buffer(new byte[32], 32, false);
        int hello = writev.buffer(bytes("hello "), 6, false);
        int world = writev.buffer(bytes("world"), 5, false);
        writev.pointer(1, iov).patch(iov, 0, hello).patch(iov, 16, world);
        ByteBuffer lengths = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 6).putLong(24, 5);
        SyscallRequest.Builder withLengths = SyscallRequest.syscall(SYS_WRITEV).args(pipe[1], 0, 2);
        int iov2 = withLengths.buffer(lengths.array(), 32, false);
        int hello2 = withLengths.buffer(bytes("hello "), 6, false);
        int world2 = withLengths.buffer(bytes("world"), 5, false);
        withLengths.pointer(1, iov2).patch(iov2, 0, hello2).patch(iov2, 16, world2);

        assertThat(channel.syscall(writev.build(), TIMEOUT).value()).as("iovecs of length 0").isZero();
        assertThat(channel.syscall(withLengths.build(), TIMEOUT).value()).isEqualTo(11);

        SyscallRequest.Builder readv = SyscallRequest.syscall(SYS_READV).args(pipe[0], 0, 2);
        int readIov = readv.buffer(ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 4).putLong(24, 7)
                .array(), 32, false);
        int first = readv.buffer(new byte[0], 4, true);
        int second = readv.buffer(new byte[0], 7, true);
        readv.pointer(1, readIov).patch(readIov, 0, first).patch(readIov, 16, second);
        SyscallResult read = channel.syscall(readv.build(), TIMEOUT);

        assertThat(read.value()).isEqualTo(11);
        assertThat(read.buffers()).hasSize(2);
        assertThat(new String(read.buffer(0), StandardCharsets.UTF_8)).isEqualTo("hell");
        assertThat(new String(read.buffer(1), StandardCharsets.UTF_8)).isEqualTo("o world");
    }

    @Test
    void ioctlReadsAnIntegerThroughAPointerAndFailsOnTheWrongDevice() {
        long[] pipe = pipe();
        write(pipe[1], "12345");
        SyscallRequest.Builder fionread = SyscallRequest.ioctl().args(pipe[0], FIONREAD, 0);
        fionread.pointer(2, fionread.buffer(new byte[0], 4, true));
        SyscallResult available = channel.syscall(fionread.build(), TIMEOUT);

        assertThat(available.value()).isZero();
        assertThat(ByteBuffer.wrap(available.buffer(0)).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(5);
        SyscallRequest.Builder tcgets = SyscallRequest.ioctl().args(pipe[0], TCGETS, 0);
        tcgets.pointer(2, tcgets.buffer(new byte[0], 60, true));
        assertThat(channel.syscall(tcgets.build(), TIMEOUT).value()).isEqualTo(-ENOTTY);
    }

    @Test
    void sixtyFourBitArgumentsAndResultsKeepEveryBit() throws Exception {
        long fd = openat(Files.writeString(hostAgent.dir().resolve("f"), "x"));

        assertThat(call(SYS_LSEEK, fd, 0x100_0000_0001L, 0).value()).isEqualTo(0x100_0000_0001L);
        assertThat(call(SYS_LSEEK, fd, -1, 0).value()).as("a negative offset").isEqualTo(-22);
        assertThat(call(SYS_CLOSE, 0xffff_ffff_0000_0000L | 9999).value()).as("upper bits of an int argument")
                .isEqualTo(-EBADF);
    }

    @Test
    void theBiggestBufferRoundTrips() {
        int size = SyscallRequest.MAX_BUFFER_BYTES;
        byte[] data = new byte[size];
        data[0] = 1;
        data[size - 1] = 2;
        SyscallRequest.Builder getpid = SyscallRequest.syscall(SYS_GETPID);
        getpid.buffer(data, size, true);

        SyscallResult result = channel.syscall(getpid.build(), TIMEOUT);

        assertThat(result.buffer(0)).hasSize(size).startsWith(1).endsWith(2);
    }

    @Test
    void theBuilderRefusesWhatTheAgentWould() {
        assertThatThrownBy(() -> SyscallRequest.syscall(1).args(1, 2, 3, 4, 5, 6, 7))
                .hasMessage("a system call takes at most 6 arguments, got 7");
        SyscallRequest.Builder call = SyscallRequest.syscall(1).args(0, 0);
        assertThatThrownBy(() -> call.buffer(new byte[0], -1, false)).hasMessage("buffer size -1 is negative");
        assertThatThrownBy(() -> call.buffer(new byte[4], 3, false))
                .hasMessage("buffer size 3 is smaller than its 4 bytes of data");
        int buffer = call.buffer(new byte[0], 12, false);
        assertThatThrownBy(() -> call.pointer(2, buffer)).hasMessageContaining("argument index 2 is out of range");
        assertThatThrownBy(() -> call.pointer(0, 1)).hasMessage("no buffer 1: the call has 1 buffers");
        assertThatThrownBy(() -> call.patch(buffer, 5, buffer))
                .hasMessage("a pointer at offset 5 does not fit in buffer 0 of 12 bytes (it needs 8 bytes)");
        assertThatThrownBy(() -> call.patch(buffer, -1, buffer)).hasMessageContaining("offset -1");
        call.pointer(0, buffer);
        assertThatThrownBy(() -> call.pointer(0, buffer)).hasMessage("argument 0 already points to buffer 0");
        assertThatThrownBy(() -> call.buffer(new byte[0], SyscallRequest.MAX_BUFFER_BYTES, false))
                .hasMessageContaining("does not fit");
        for (int i = 1; i < SyscallRequest.MAX_BUFFERS; i++) {
            call.buffer(new byte[0], 0, false);
        }
        assertThatThrownBy(() -> call.buffer(new byte[0], 0, false)).hasMessage("a call takes at most 64 buffers");
    }

    private SyscallResult call(long number, long... args) {
        return channel.syscall(SyscallRequest.syscall(number).args(args).build(), TIMEOUT);
    }

    private long openat(Path file) {
        SyscallRequest.Builder openat = SyscallRequest.syscall(SYS_OPENAT).args(AT_FDCWD, 0, 0, 0);
        byte[] path = (file + "\0").getBytes(StandardCharsets.UTF_8);
        openat.pointer(1, openat.buffer(path, path.length, false));
        long fd = channel.syscall(openat.build(), TIMEOUT).value();
        assertThat(fd).as("openat %s", file).isNotNegative();
        return fd;
    }

    private static SyscallRequest readCall(long fd, int size) {
        SyscallRequest.Builder read = SyscallRequest.syscall(SYS_READ).args(fd, 0, size);
        return read.pointer(1, read.buffer(new byte[0], size, true)).build();
    }

    private long[] pipe() {
        SyscallRequest.Builder pipe2 = SyscallRequest.syscall(SYS_PIPE2).args(0, 0);
        pipe2.pointer(0, pipe2.buffer(new byte[0], 8, true));
        SyscallResult result = channel.syscall(pipe2.build(), TIMEOUT);
        assertThat(result.value()).isZero();
        ByteBuffer fds = ByteBuffer.wrap(result.buffer(0)).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {fds.getInt(), fds.getInt()};
    }

    private void write(long fd, String text) {
        byte[] data = bytes(text);
        SyscallRequest.Builder write = SyscallRequest.syscall(SYS_WRITE).args(fd, 0, data.length);
        write.pointer(1, write.buffer(data, data.length, false));
        assertThat(channel.syscall(write.build(), TIMEOUT).value()).isEqualTo(data.length);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String cString(byte[] buffer, int offset) {
        int end = offset;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, offset, end - offset, StandardCharsets.UTF_8);
    }
}
