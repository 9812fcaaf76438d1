test("a link", function()
  assert(true)
end)
