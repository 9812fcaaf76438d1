-- Workers: forked agents and threads with their own credentials, each on a channel of its own.
local h = require("helpers")
local SYS = h.SYS

local vm = provium.create()
vm:boot({memory = "256M", files = {["/etc/motd"] = "data/motd.txt"}})

test("three forked workers have distinct pids", function()
  local seen = {}
  for _ = 1, 3 do
    local w = vm:spawn()
    local pid = w:syscall(SYS.getpid)
    assert(pid ~= 1, "a forked worker is not the agent")
    assert(not seen[pid], "pid " .. pid .. " seen twice")
    seen[pid] = true
    assert_eq(tostring(pid), w:exec("echo $PPID").stdout.trim())
  end
end)

for _, kind in ipairs({"forked", "thread"}) do
  test("setuid in a " .. kind .. " worker leaves the agent's uid alone", function()
    local w = vm:spawn({thread = kind == "thread"})
    assert_eq(0, w:syscall(SYS.setuid, h.NOBODY))
    assert_eq(h.NOBODY, w:syscall(SYS.getuid))
    assert_eq(tostring(h.NOBODY), w:exec("id -u").stdout.trim())
    assert_eq(0, vm:syscall(SYS.getuid))
    assert_eq("0", vm:exec("id -u").stdout.trim())
  end)
end

test("a thread worker is a thread of the agent and reads an fd the agent opened", function()
  local w = vm:spawn({thread = true})
  assert_eq(1, w:syscall(SYS.getpid))
  assert(w:syscall(SYS.gettid) ~= vm:syscall(SYS.gettid), "a thread of its own")
  local fd = h.open(vm, "/etc/motd")
  local n, data = w:syscall_bufs(SYS.read, {[1] = string.rep("\0", 64)}, fd, 0, 64)
  assert_eq("welcome to the guest\n", data:sub(1, n))
  assert_eq(0, vm:syscall(SYS.close, fd))
end)

test("a forked worker does not see an fd opened after the fork", function()
  local before = h.open(vm, "/etc/motd")
  local w = vm:spawn()
  local after = h.open(vm, "/etc/motd")
  assert(w:syscall(SYS.fcntl, before, 1) >= 0, "opened before the fork")
  assert_eq(-9, w:syscall(SYS.fcntl, after, 1))
  vm:syscall(SYS.close, before)
  vm:syscall(SYS.close, after)
end)

test("a worker has the guest methods but boot, shutdown and spawn", function()
  local w = vm:spawn()
  assert_eq(nil, w.boot)
  assert_eq(nil, w.shutdown)
  assert_eq(nil, w.spawn)
  w:write_file("/tmp/from-worker", "w")
  assert_eq("w", w:read_file("/tmp/from-worker"))
  assert_eq({answer = 42}, w:json("echo '{\"answer\": 42}'"))
  local job = w:background("echo in the worker")
  assert_eq("in the worker\n", w:job_wait(job, 30).stdout)
  h.fails("was started on vm default (jobs belong to the vm or worker that started them)", vm.job_wait, vm, job)
  assert_contains(w:dmesg(), "Linux version")
end)

test("a killed worker's methods raise", function()
  local w = vm:spawn({thread = true})
  w:kill()
  w:kill()
  h.fails("it was killed", w.exec, w, "true")
  h.fails("it was killed", w.syscall, w, SYS.getpid)
  h.fails("bad argument #1 to 'exec' (worker expected, got userdata", w.exec, vm, "true")
end)

test("a forked worker that ends by itself is reaped and its end needs no cleanup", function()
  local w = vm:spawn()
  local pid = w:syscall(SYS.getpid)
  h.fails("ended before it answered request", w.syscall, w, SYS.exit, 0)
  local reaped = "for i in $(seq 100); do [ -e /proc/" .. pid .. " ] || exit 0; sleep 0.1; done; exit 1"
  assert(vm:exec(reaped).ok, "worker " .. pid .. " was reaped")
  -- The test ends with the worker in its scope: killing it at the end must not fail.
end)

local left = {}
test("workers and their jobs end with the test that spawned them", function()
  local w = vm:spawn()
  left.worker = w:syscall(SYS.getpid)
  left.job = w:background("sleep 60").pid
  left.handle = w
end)

test("the worker of the test before is gone", function()
  assert_eq(false, vm:exec("kill -0 " .. left.worker).ok)
  assert_eq(false, vm:exec("kill -0 " .. left.job).ok)
  h.fails("it was killed", left.handle.exec, left.handle, "true")
end)

test("spawn's options are checked", function()
  h.fails("unknown option 'threads'", vm.spawn, vm, {threads = true})
  h.fails("thread must be a boolean, got number", vm.spawn, vm, {thread = 1})
  h.fails("bad argument #2 to 'spawn' (table expected, got string)", vm.spawn, vm, "thread")
end)
