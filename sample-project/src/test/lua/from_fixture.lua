-- Tests that start from a snapshot of a configured guest (src/test/lua/fixtures/module-loaded.lua)
-- instead of booting and loading the module themselves. Each copy is shut down when its test is done,
-- so the guests of the whole suite stay within the machine's vCPU budget.
test("a resumed copy has the module loaded", function()
  local vm = provium.fixture("module-loaded")
  assert_contains(vm:exec("cat /proc/modules").stdout, "provium_demo")
  assert(vm:exec("test -c /dev/provium-demo").ok, "/dev/provium-demo is a character device")
  vm:shutdown()
end)

test("copies do not share state", function()
  local a = provium.fixture("module-loaded")
  local b = provium.fixture("module-loaded")
  a:exec("echo from-a > /dev/provium-demo")
  assert_eq("from-a\n", a:exec("cat /dev/provium-demo").stdout.value)
  assert_eq("", b:exec("cat /dev/provium-demo").stdout.value)
  provium.shutdown_all()
end)
