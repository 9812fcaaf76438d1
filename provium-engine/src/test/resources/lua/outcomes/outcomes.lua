-- One test per outcome; top-level code runs once, in order.
local calls = {}

test("passes", function()
  table.insert(calls, "passes")
  assert_eq(2, 1 + 1)
end)

test("fails an assertion", function()
  assert_eq({1, 2, name = "x"}, {1, 3, name = "x"}, "lists differ")
end)

local function index_nil()
  local t = nil
  return t.field
end

test("raises an error", function()
  index_nil()
end)

test("is todo", function()
  todo("waiting for the frobnicator")
  error("never reached")
end)

test("fails in a Java binding", function()
  provium.java_error("the VM died\nconsole tail:\n[    1.2] Kernel panic")
end)

test("todo without a reason", function()
  todo()
end)

test("todo inside pcall still skips", function()
  pcall(todo, "skipped through pcall")
  error("never reached")
end)

assert_eq({"passes"}, calls)

test("todo after some work", function()
  local started = true
  todo("the rest needs a driver")
end)
