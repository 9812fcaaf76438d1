-- A test stuck in a guest call ends at its time limit; the guests it booted are killed, a call into the
-- file's own guest is cancelled, and the file goes on.
local vm = provium.create()
vm:boot({memory = "256M"})

test("stuck in a guest it booted", {timeout = 8}, function()
  vm:background("sleep 600")
  local mine = provium.create()
  mine:boot({memory = "128M"})
  mine:exec("sleep 600")
end)

test("stuck in the file's guest", {timeout = 2}, function()
  vm:exec("sleep 600")
end)

test("the file's guest still answers", function()
  assert(vm:exec("true").ok)
end)
