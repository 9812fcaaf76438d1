test("a route", function()
  assert(true)
end)
