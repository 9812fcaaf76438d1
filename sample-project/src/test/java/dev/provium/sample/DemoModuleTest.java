package dev.provium.sample;

import static dev.provium.jupiter.ProviumAssertions.assertThat;

import dev.provium.guest.SyscallRequest;
import dev.provium.guest.SyscallResult;
import dev.provium.jupiter.Guest;
import dev.provium.jupiter.Provium;
import dev.provium.vm.Vm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The demo module (src/main/module) driven from Java: the extension boots a guest with the freshly built .ko
 * injected, or resumes a copy of the "module-loaded" fixture (src/test/lua/fixtures/module-loaded.lua).
 * System call numbers are x86_64's; the ioctl numbers and structs are in provium_demo.h.
 */
@Provium
class DemoModuleTest {
    private static final long OPENAT = 257;
    private static final long CLOSE = 3;
    private static final long WRITE = 1;
    private static final long AT_FDCWD = -100;
    private static final long O_RDWR = 2;
    private static final long GET_STATS = 0x80105001L; // _IOR('P', 1, struct provium_demo_stats)
    private static final long RESET = 0x5002L;         // _IO('P', 2)
    private static final long XFORM = 0xc0105003L;     // _IOWR('P', 3, struct provium_demo_xform)

    @Test
    void insmodThenAnIoctlWithAUserPointerUpperCasesTheBuffer(
            @Guest(memory = "256M", files = "/lib/modules/provium_demo.ko=target/module/provium_demo.ko") Vm vm) {
        assertThat(vm.exec("insmod /lib/modules/provium_demo.ko")).succeeded();
        assertThat(vm).dmesg().containsLineContaining("provium_demo: loaded, /dev/provium-demo is ready");
        long fd = open(vm);

        // struct provium_demo_xform { __u64 data; __u32 len; __u32 changed; }: data points at the text
        byte[] text = "Provium tests modules".getBytes(StandardCharsets.US_ASCII);
        SyscallRequest.Builder call = SyscallRequest.ioctl();
        int struct = call.buffer(le(16).putLong(0).putInt(text.length).putInt(0).array(), 16, true);
        int data = call.buffer(text, text.length, true);
        call.args(fd, XFORM, 0).pointer(2, struct).patch(struct, 0, data);
        SyscallResult result = vm.syscall(call.build());

        assertThat(result.value()).isZero();
        assertThat(new String(result.buffer(1), StandardCharsets.US_ASCII)).isEqualTo("PROVIUM TESTS MODULES");
        assertThat(ByteBuffer.wrap(result.buffer(0)).order(ByteOrder.LITTLE_ENDIAN).getInt(12)).as("changed").isEqualTo(18);
        assertThat(vm).dmesg().containsLineMatching("provium_demo: upper-cased 21 bytes, 18 changed");
        close(vm, fd);
    }

    @Test
    void statisticsCountTheWritesOfAFixtureCopy(@Guest(fixture = "module-loaded") Vm vm) {
        long fd = open(vm);
        assertThat(vm.syscall(SyscallRequest.ioctl().args(fd, RESET, 0).build()).value()).isZero();
        for (String data : new String[] {"abc", "defgh"}) {
            SyscallRequest.Builder write = SyscallRequest.syscall(WRITE);
            int buffer = write.buffer(data.getBytes(StandardCharsets.US_ASCII), data.length(), false);
            assertThat(vm.syscall(write.args(fd, 0, data.length()).pointer(1, buffer).build()).value()).isEqualTo(data.length());
        }

        // struct provium_demo_stats { __u64 writes; __u64 bytes; }, filled in by the _IOR ioctl
        SyscallRequest.Builder stats = SyscallRequest.ioctl();
        int out = stats.buffer(new byte[0], 16, true);
        SyscallResult result = vm.syscall(stats.args(fd, GET_STATS, 0).pointer(2, out).build());

        assertThat(result.value()).isZero();
        ByteBuffer struct = ByteBuffer.wrap(result.buffer(0)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(struct.getLong(0)).as("writes").isEqualTo(2);
        assertThat(struct.getLong(8)).as("bytes").isEqualTo(8);
        assertThat(vm.exec("cat /proc/modules")).succeeded().stdout().contains("provium_demo");
        close(vm, fd);
    }

    private static long open(Vm vm) {
        SyscallRequest.Builder open = SyscallRequest.syscall(OPENAT);
        int path = open.buffer("/dev/provium-demo\0".getBytes(StandardCharsets.US_ASCII), 18, false);
        long fd = vm.syscall(open.args(AT_FDCWD, 0, O_RDWR, 0).pointer(1, path).build()).value();
        assertThat(fd).as("fd of /dev/provium-demo").isNotNegative();
        return fd;
    }

    private static void close(Vm vm, long fd) {
        assertThat(vm.syscall(SyscallRequest.syscall(CLOSE).args(fd).build()).value()).isZero();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
