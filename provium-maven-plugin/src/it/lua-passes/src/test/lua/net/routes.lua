test("a route", function()
  assert_contains("default via 10.0.2.2", "via")
end)
