-- A Lua file that boots a guest, next to Java tests in the same JUnit run (one VmService for both).
local vm = provium.create()
vm:boot({memory = "256M"})

test("the guest answers", function()
  assert_eq("ok", vm:exec("echo ok").stdout.trim())
end)
