-- Top-level code always runs; only the selected test bodies do.
local log = {}
table.insert(log, "top")

test("first", function()
  table.insert(log, "first")
end)

test("second", function()
  table.insert(log, "second")
end)

test("third", function()
  assert_eq({"top", "second"}, log)
end)

for i = 1, 2 do
  test("generated " .. i, function() end)
end
