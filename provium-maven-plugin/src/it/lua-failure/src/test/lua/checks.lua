test("passes", function()
  assert_eq(2, 1 + 1)
end)

test("compares wrongly", function()
  assert_eq("expected", "actual")
end)

test("raises an error", function()
  local t = nil
  return t.field
end)

-- What the engine prints when a file that booted guests failed; the report attaches it to the failed tests.
print("provium: console log of vm default (kept): /tmp/provium-run/console.log")
