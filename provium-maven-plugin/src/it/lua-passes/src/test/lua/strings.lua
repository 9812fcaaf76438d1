-- Pure Lua: no guest is booted.
test("upper-cases", function()
  assert_eq("ABC", string.upper("abc"))
end)

test("packs little-endian", function()
  assert_eq("\1\0", provium.pack("u16", 1))
end)

test("not yet", function()
  todo("waiting for the driver")
end)
