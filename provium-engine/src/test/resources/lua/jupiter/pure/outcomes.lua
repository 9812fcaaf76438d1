-- Pure Lua, no guest: one test per outcome, run by LuaTests as Jupiter dynamic tests.
local util = require("lib.util")
local calls = {}

test("passes", function()
  table.insert(calls, "passes")
  assert_eq(2, util.add(1, 1))
end)

test("fails an assertion", function()
  assert_eq("expected", "actual", "values differ")
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

for i = 1, 2 do
  test("computed " .. i, function()
    assert_eq(1, #calls)
  end)
end
