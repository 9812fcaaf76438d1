local vm = provium.fixture("marked")

test("the guest carries the current marker", function()
  assert_eq(require("lib.marker").text, vm:read_file("/etc/marker"))
end)
