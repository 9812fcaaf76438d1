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

test("hotplug of a CPU", function()
  todo("needs a guest booted with more than one vCPU")
end)

provium.shutdown_all()
