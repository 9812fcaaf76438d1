-- Boot the default guest once and look at it from a few sides.
local vm = provium.create()
vm:boot({memory = "256M", cpus = 1})

test("runs the host's kernel", function()
  local r = vm:exec("uname -sr")
  assert(r.ok, "uname failed: " .. r.stderr.value)
  assert(r.stdout.starts_with("Linux "))
end)

test("has proc and sysfs mounted", function()
  vm:mount_vfs()
  assert_contains(vm:read_file("/proc/filesystems"), "sysfs")
  assert_eq("1", vm:exec("grep -c ' /sys sysfs ' /proc/mounts").stdout.trim())
end)

test("reports the memory it was given", function()
  local kib = tonumber(vm:exec("awk '/MemTotal/ {print $2}' /proc/meminfo").stdout.trim())
  assert(kib > 150000 and kib <= 262144, "MemTotal " .. kib .. " kB")
end)

test("reads kernel parameters as JSON", function()
  local info = vm:json([[printf '{"hostname": "%s", "ostype": "%s"}' "$(cat /proc/sys/kernel/hostname)" "$(cat /proc/sys/kernel/ostype)"]])
  assert_eq("Linux", info.ostype)
end)

test("sleeps a second in the guest", function()
  assert(vm:exec("sleep 1").ok)              -- reports time the body: this test takes at least 1 s
end)

-- A kselftest-style script run in the guest; provium.tap makes each KTAP result a sub-test.
local selftest = [[
echo "KTAP version 1"
echo "1..2"
echo "    KTAP version 1"
echo "    # Subtest: guest_basics"
echo "    1..3"
n=1
for f in /proc/version /proc/cpuinfo; do
  if [ -r "$f" ]; then echo "    ok $n $f is readable"; else echo "    # cannot read $f"; echo "    not ok $n $f is readable"; fi
  n=$((n + 1))
done
echo "    ok 3 kvm_device # SKIP no /dev/kvm under TCG"
echo "# guest_basics: pass:2 fail:0 skip:1 total:3"
echo "ok 1 guest_basics"
if grep -q sysfs /proc/filesystems; then echo "ok 2 sysfs_supported"; else echo "# no sysfs"; echo "not ok 2 sysfs_supported"; fi
]]

test("kselftest output becomes sub-tests", function()
  vm:write_file("/tmp/selftest.sh", selftest)
  assert(provium.tap(vm:exec("sh /tmp/selftest.sh")), "a KTAP result failed")
end)

test("hotplug of a CPU", function()
  todo("needs a guest booted with more than one vCPU")
end)

provium.shutdown_all()
