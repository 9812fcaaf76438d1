-- Fixture mistakes that need no guest, each reported by name.
local function fails(pattern, ...)
  local ok, err = pcall(provium.fixture, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert_contains(err, pattern)
end

test("an unknown fixture names the places looked at", function()
  fails("no fixture 'nope': looked for ", "nope")
  fails("fixtures/nope.lua", "nope")
end)

test("a fixture name is a relative path of plain words", function()
  fails("fixture name '../escape' is not valid", "../escape")
  fails("bad argument #1 to 'fixture' (string expected, got nil)")
end)

test("a fixture script must leave a VM", function()
  fails("fixture script fixtures/empty.lua created no VM", "empty")
end)

test("a fixture script cannot declare tests", function()
  fails("test('tests do not belong in fixtures') in fixture script fixtures/testing.lua", "testing")
end)

test("a fixture that needs itself is an error, not a hang", function()
  fails("fixture 'loop' needs itself: loop → loop_back → loop", "loop")
end)

test("a fixture script stuck in a loop ends at the limit of the test that asks for it", {timeout = 1}, function()
  provium.fixture("spins")
end)
