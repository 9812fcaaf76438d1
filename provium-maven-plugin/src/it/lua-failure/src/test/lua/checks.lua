local vm = provium.create()
vm:boot({memory = "128M"})

test("passes", function()
  assert_eq(2, 1 + 1)
end)

test("compares wrongly", function()
  vm:exec("echo 'provium-it: written before the failure' > /dev/kmsg")
  assert_eq("expected", "actual")
end)

test("raises an error", function()
  local t = nil
  return t.field
end)
