-- The kernel module of this project (src/main/module, built by provium:module in `mvn compile` into target/module) in a real
-- guest: loaded with insmod, driven through raw system calls and ioctls, watched through the kernel log.
-- System call numbers are x86_64's; the ioctl numbers are in provium_demo.h.
local SYS = {read = 0, write = 1, close = 3, openat = 257}
local O_RDWR = 2
local GET_STATS = 0x80105001 -- _IOR('P', 1, struct provium_demo_stats)
local RESET = 0x5002         -- _IO('P', 2)
local XFORM = 0xc0105003     -- _IOWR('P', 3, struct provium_demo_xform)

local vm = provium.create()
vm:boot({memory = "256M", files = {["/lib/modules/provium_demo.ko"] = "target/module/provium_demo.ko"}})

local function open_device()
  local fd = vm:syscall_buf(SYS.openat, 1, "/dev/provium-demo\0", -100, 0, O_RDWR, 0)
  assert(fd >= 0, "open /dev/provium-demo: " .. tostring(fd))
  return fd
end

test("insmod loads the module and it says so in the kernel log", function()
  local r = vm:exec("insmod /lib/modules/provium_demo.ko")
  assert(r.ok, "insmod failed: " .. r.stderr.value)
  assert_contains(vm:exec("cat /proc/modules").stdout, "provium_demo")
  assert_contains(vm:dmesg("provium_demo:"), "provium_demo: loaded, /dev/provium-demo is ready")
end)

test("what is written reads back", function()
  local fd = open_device()
  local data = "hello, kernel"
  assert_eq(#data, vm:syscall_buf(SYS.write, 1, data, fd, 0, #data))
  local n, back = vm:syscall_bufs(SYS.read, {[1] = string.rep("\0", 64)}, fd, 0, 64)
  assert_eq(#data, n)
  assert_eq(data, back:sub(1, n))
  assert_eq("hello, kernel", vm:exec("cat /dev/provium-demo").stdout.value)
  assert_eq(0, vm:syscall(SYS.close, fd))
end)

test("an _IOR ioctl returns the statistics struct; an _IO one resets them", function()
  local fd = open_device()
  assert_eq(0, vm:ioctl(fd, RESET))
  vm:syscall_buf(SYS.write, 1, "abc", fd, 0, 3)
  vm:syscall_buf(SYS.write, 1, "defgh", fd, 0, 5)
  local ret, stats = vm:ioctl(fd, GET_STATS)
  assert_eq(0, ret)
  local writes, bytes = provium.unpack("u64 u64", stats)
  assert_eq(2, writes)
  assert_eq(8, bytes)
  vm:syscall(SYS.close, fd)
end)

test("an ioctl struct with an embedded user pointer transforms the caller's buffer", function()
  local fd = open_device()
  local text = "Provium tests modules"
  -- struct provium_demo_xform { __u64 data; __u32 len; __u32 changed; }: data is patched to point at `text`.
  local ret, struct, out = vm:ioctl_buf(fd, XFORM, provium.pack("u64 u32 u32", 0, #text, 0), {
    {ptr_offset = 0, data = text, output = true},
  })
  assert_eq(0, ret)
  assert_eq("PROVIUM TESTS MODULES", out)
  local _, len, changed = provium.unpack("u64 u32 u32", struct)
  assert_eq(#text, len)
  assert_eq(18, changed)
  assert_contains(vm:dmesg("provium_demo: upper-cased"), "upper-cased 21 bytes, 18 changed")
  vm:syscall(SYS.close, fd)
end)

test("bad requests get the kernel's errors", function()
  local fd = open_device()
  -- A null user pointer in the struct: the module's copy_from_user fails.
  assert_eq(-14, (vm:ioctl(fd, XFORM, provium.pack("u64 u32 u32", 0, 8, 0)))) -- EFAULT
  assert_eq(-25, (vm:ioctl(fd, 0x5063)))                                      -- ENOTTY
  assert_eq(-27, vm:syscall_buf(SYS.write, 1, string.rep("x", 4097), fd, 0, 4097)) -- EFBIG
  vm:syscall(SYS.close, fd)
end)

test("rmmod unloads it", function()
  local r = vm:exec("rmmod provium_demo")
  assert(r.ok, "rmmod failed: " .. r.stderr.value)
  assert_contains(vm:dmesg(), "provium_demo: unloaded")
  assert_eq(false, vm:exec("test -e /dev/provium-demo").ok)
end)

provium.shutdown_all()
