local helpers = dofile("helpers.lua")
local fails, line = helpers.fails, helpers.line

test("assert returns its arguments when they hold", function()
  local a, b, c = assert(1, "message", 3)
  assert_eq({1, "message", 3}, {a, b, c})
end)

test("assert raises with the caller's position", function()
  local here = line(); local ok, err = pcall(function() assert(false, "boom") end)
  assert_eq("assertions.lua:" .. here .. ": boom", err)
  here = line(); ok, err = pcall(function() assert(nil) end)
  assert_eq("assertions.lua:" .. here .. ": assertion failed!", err)
end)

test("assert_eq compares tables deeply and numbers by value", function()
  assert_eq({1, {2, {3}}, k = {v = true}}, {1, {2, {3}}, k = {v = true}})
  assert_eq(1, 1.0)
  assert_eq(nil, nil)
  local cycle = {}
  cycle.self = cycle
  local other = {}
  other.self = other
  assert_eq(cycle, other)
end)

test("assert_eq shows both values", function()
  fails('assert_eq failed: ids\n  expected: "a\\x00b"\n  actual:   "a\\x01b"\n'
    .. "  first difference at byte 2: expected '\\x00' (0x00), got '\\x01' (0x01)",
    assert_eq, "a\0b", "a\1b", "ids")
  fails('expected: {1, 2}\n  actual:   {1, 2, 3}\n  at [3]: unexpected key holding 3', assert_eq, {1, 2}, {1, 2, 3})
  fails('at .name: expected "x", but the key is missing', assert_eq, {name = "x"}, {})
  fails('expected: 1\n  actual:   "1"\n  expected a number, got a string', assert_eq, 1, "1")
end)

test("assert_contains checks substrings, not patterns", function()
  assert_contains("a.b", ".")
  fails('assert_contains failed: where is it\n  haystack: "abc"\n  needle:   "x"',
    assert_contains, "abc", "x", "where is it")
  fails("bad argument #1 to 'assert_contains' (string or string wrapper expected, got nil)",
    assert_contains, nil, "x")
  fails("bad argument #2 to 'assert_contains' (string expected, got number)", assert_contains, "1", 1)
end)

test("missing arguments are named", function()
  fails("bad argument #2 to 'assert_eq' (value expected)", assert_eq, 1)
  fails("bad argument #1 to 'assert' (value expected)", assert)
  fails("bad argument #1 to 'test' (string expected, got number)", test, 1, function() end)
  fails("bad argument #2 to 'test' (function expected, got nil)", test, "x")
  fails("bad argument #1 to 'test' (test name must not be empty)", test, " ", function() end)
  fails("bad argument #1 to 'todo' (string expected, got table)", todo, {})
end)
