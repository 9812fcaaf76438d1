-- Files move between host and guest binary-safe, in both directions.
local vm = provium.create("quiet")
vm:boot({files = {["/etc/provium-sample.conf"] = "testdata/sample.conf"}})

test("an injected file is in the guest at boot", function()
  assert_eq("answer = 42\n", vm:read_file("/etc/provium-sample.conf"))
end)

test("binary data survives a round trip", function()
  local data = provium.pack("u32 u64 i16 u8", 0xdeadbeef, "0xffffffffffffffff", -2, 0)
  vm:write_file("/tmp/blob", data)
  assert_eq(#data, tonumber(vm:exec("wc -c < /tmp/blob").stdout.trim()))
  local a, b, c, d = provium.unpack("u32 u64 i16 u8", vm:read_file("/tmp/blob"))
  assert_eq(0xdeadbeef, a)
  assert_eq("0xffffffffffffffff", b)
  assert_eq(-2, c)
  assert_eq(0, d)
end)

test("a missing file is an error naming the path", function()
  local ok, err = pcall(vm.read_file, vm, "/etc/not-there")
  assert(not ok)
  assert_contains(err, "/etc/not-there")
end)
