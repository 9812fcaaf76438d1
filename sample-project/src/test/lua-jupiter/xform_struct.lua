-- Run from Java (LuaFromJavaTest, a @TestFactory over src/test/lua-jupiter), not by the LuaTests suite: the layout
-- of struct provium_demo_xform (provium_demo.h) checked in pure Lua, then the ioctl on a copy of the
-- "module-loaded" fixture (src/test/lua/fixtures), the same snapshot the Lua suite and the Java tests use.
local XFORM = 0xc0105003 -- _IOWR('P', 3, struct provium_demo_xform)

test("the struct is 16 bytes: a user pointer, a length and a count", function()
  local struct = provium.pack("u64 u32 u32", 0x1000, 21, 0)
  assert_eq(16, #struct)
  local data, len, changed = provium.unpack("u64 u32 u32", struct)
  assert_eq(0x1000, data)
  assert_eq(21, len)
  assert_eq(0, changed)
end)

test("the ioctl upper-cases a copy of the fixture's loaded module", function()
  local vm = provium.fixture("module-loaded")
  local fd = vm:syscall_buf(257, 1, "/dev/provium-demo\0", -100, 0, 2, 0) -- openat(AT_FDCWD, path, O_RDWR)
  assert(fd >= 0, "open /dev/provium-demo: " .. tostring(fd))
  local ret, _, out = vm:ioctl_buf(fd, XFORM, provium.pack("u64 u32 u32", 0, 5, 0),
    {{ptr_offset = 0, data = "hello", output = true}})
  assert_eq(0, ret)
  assert_eq("HELLO", out)
end)

test("a struct for 32-bit user space", function()
  todo("the guest kernel has no compat ioctl for this module yet")
end)
