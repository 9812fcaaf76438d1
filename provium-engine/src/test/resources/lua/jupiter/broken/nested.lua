test("outer", function()
  test("inner", function() end)
end)
