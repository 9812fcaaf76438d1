-- Raw system calls, ioctls and the kernel log in a real guest (x86_64 system call numbers).
local h = require("helpers")
local SYS = h.SYS

-- A 1 MiB raw disk for BLKGETSIZE64, written on the host.
local disk = (os.getenv("TMPDIR") or "/tmp") .. "/provium-kernel-test-" .. os.time() .. "-" .. math.random(1, 1e9) .. ".img"
do
  local f = assert(io.open(disk, "wb"))
  f:write(string.rep("\0", 1024 * 1024))
  f:close()
end

local vm = provium.create()
vm:boot({memory = "256M", disks = {{path = disk}}, files = {["/etc/motd"] = "data/motd.txt"}})
os.remove(disk) -- QEMU keeps it open

test("getpid is the agent's pid: PID 1 of the guest", function()
  assert_eq(1, vm:syscall(SYS.getpid))
end)

test("close(9999) returns -EBADF", function()
  assert_eq(-9, vm:syscall(SYS.close, 9999))
end)

test("uname fills an output buffer", function()
  local ret, utsname = vm:syscall_bufs(SYS.uname, {[0] = string.rep("\0", 390)}, 0)
  assert_eq(0, ret)
  assert_eq(390, #utsname)
  assert_eq("Linux", h.cstring(utsname, 0))
  assert_eq(vm:exec("uname -r").stdout.trim(), h.cstring(utsname, 65 * 2))
end)

test("openat with a path buffer, then read from the fd it returned", function()
  local fd = h.open(vm, "/etc/motd")
  local n, data = vm:syscall_bufs(SYS.read, {[1] = string.rep("\0", 64)}, fd, 0, 64)
  assert_eq(21, n)
  assert_eq("welcome to the guest\n", data:sub(1, n))
  assert_eq(0, vm:syscall(SYS.close, fd))
  assert_eq(-9, vm:syscall(SYS.close, fd))
end)

test("getcwd through syscall_buf", function()
  local ret, buf = vm:syscall_buf(SYS.getcwd, 0, string.rep("\0", 256), 0, 256)
  assert_eq(2, ret) -- "/" and its NUL
  assert_eq("/", h.cstring(buf, 0))
end)

test("writev and readv follow pointers patched into their iovecs", function()
  local ret, fds = vm:syscall_bufs(SYS.pipe2, {[0] = string.rep("\0", 8)}, 0, 0)
  assert_eq(0, ret)
  local rfd, wfd = provium.unpack("i32 i32", fds)
  local written = vm:syscall_ptr(SYS.writev, {[1] = provium.pack("u64 u64 u64 u64", 0, 6, 0, 5)}, {
    {buf_idx = 1, ptr_offset = 0, data = "hello "},
    {buf_idx = 1, ptr_offset = 16, data = "world"},
  }, wfd, 0, 2)
  assert_eq(11, written)
  local n, iov, first, second = vm:syscall_ptr(SYS.readv, {[1] = provium.pack("u64 u64 u64 u64", 0, 4, 0, 7)}, {
    {buf_idx = 1, ptr_offset = 0, data_len = 4, output = true},
    {buf_idx = 1, ptr_offset = 16, data_len = 7, output = true},
  }, rfd, 0, 2)
  assert_eq(11, n)
  assert_eq("hell", first)
  assert_eq("o world", second)
  local base, length = provium.unpack("u64 u64", iov)
  assert(base ~= 0, "the agent patched a guest address into iov[0]")
  assert_eq(4, length)
  assert_eq(0, vm:syscall(SYS.close, rfd))
  assert_eq(0, vm:syscall(SYS.close, wfd))
end)

test("64-bit arguments and results keep every bit", function()
  local fd = h.open(vm, "/etc/motd")
  assert_eq("0x0040000000000001", vm:syscall(SYS.lseek, fd, "0x0040000000000001", 0))
  assert_eq(4096, vm:syscall(SYS.lseek, fd, 4096, 0))
  assert_eq(-22, vm:syscall(SYS.lseek, fd, -1, 0))
  assert_eq(-9, vm:syscall(SYS.close, "0xffffffff0000270f")) -- fd 9999 in the low 32 bits
  vm:syscall(SYS.close, fd)
end)

test("BLKGETSIZE64 on an attached disk through ioctl", function()
  local fd = h.open(vm, "/dev/vda")
  local ret, size = vm:ioctl(fd, 0x80081272) -- _IOR(0x12, 114, u64)
  assert_eq(0, ret)
  assert_eq(1024 * 1024, provium.unpack("u64", size))
  ret, size = vm:ioctl(fd, 0x80081272, "ab") -- data shorter than _IOC_SIZE: the struct is 8 bytes anyway
  assert_eq(8, #size)
  ret, size = vm:ioctl(fd, 0x1261, 0) -- BLKFLSBUF, _IO: an integer is the plain argument, nothing comes back
  assert_eq(0, ret)
  assert_eq(nil, size)
  assert_eq(-14, vm:ioctl(fd, 0x1260)) -- BLKGETSIZE is _IO but writes through its argument: NULL gives -EFAULT
  vm:syscall(SYS.close, fd)
end)

test("an ioctl whose struct carries a user pointer, through ioctl_buf", function()
  assert(vm:exec("ip link set lo up").ok)
  local sock = vm:syscall(SYS.socket, 2, 2, 0) -- AF_INET, SOCK_DGRAM
  assert(sock >= 0, "socket returned " .. sock)
  -- struct ifconf { int ifc_len; char *ifc_buf; }: the pointer at offset 8 is patched to a 160-byte buffer.
  local ifconf = provium.pack("i32 u32 u64", 160, 0, 0)
  local ret, struct, ifreqs = vm:ioctl_buf(sock, 0x8912, ifconf, {{ptr_offset = 8, buf_len = 160, output = true}})
  assert_eq(0, ret)
  assert_eq(nil, struct) -- SIOCGIFCONF has no _IOC direction bits
  assert_eq(160, #ifreqs)
  assert_eq("lo", h.cstring(ifreqs, 0))
  assert_eq(string.char(127, 0, 0, 1), ifreqs:sub(21, 24)) -- ifr_addr.sin_addr
  vm:syscall(SYS.close, sock)
end)

test("dmesg reads the kernel log; a pattern keeps the lines it finds", function()
  vm:write_file("/dev/kmsg", "provium-test: hello from the test\n")
  local log = vm:dmesg()
  assert_contains(log, "Linux version")
  assert_contains(log, "provium-test: hello from the test")
  local mine = vm:dmesg("provium-test: \\w+ from")
  assert_eq(1, select(2, mine:gsub("\n", "")))
  assert_contains(mine, "hello from the test")
  assert_eq("", vm:dmesg("^no such line, ever$"))
end)
