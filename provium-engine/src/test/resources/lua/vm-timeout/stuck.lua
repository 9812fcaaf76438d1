-- A test stuck in a guest call ends at its time limit; the guests it booted are killed, a call into the
-- file's own guest is cancelled, the jobs it started are killed, and the file goes on.
local vm = provium.create()
vm:boot({memory = "256M"})

test("stuck in a guest it booted", {timeout = 8}, function()
  vm:background("sleep 600")
  local mine = provium.create()
  mine:boot({memory = "128M"})
  mine:exec("sleep 600")
end)

test("stuck in the file's guest", {timeout = 2}, function()
  -- killing this job at the time limit waits for the channel the exec holds: it must not hold up the cancel
  vm:background("sleep 601")
  vm:exec("sleep 600")
end)

test("the file's guest still answers", function()
  assert(vm:exec("true").ok)
  local sleeping = vm:exec("grep -lx sleep /proc/[0-9]*/comm")
  assert(sleeping.exit_code == 1, "jobs of timed-out tests still run (grep exit " .. sleeping.exit_code .. "): "
    .. sleeping.stdout .. sleeping.stderr)
end)
