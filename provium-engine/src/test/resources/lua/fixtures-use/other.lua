-- Runs at the same time as state.lua and asks for the same fixture: it is built once.
local vm = provium.fixture("base")

test("another file gets the same configured guest", function()
  assert_eq("configured by fixtures/base.lua\n", vm:read_file("/etc/base"))
end)
