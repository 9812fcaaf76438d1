test("outer", function()
  test("inner", function() end)
  test("inner fails", function() error("inner broke") end)
end)
