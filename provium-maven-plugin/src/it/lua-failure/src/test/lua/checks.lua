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
