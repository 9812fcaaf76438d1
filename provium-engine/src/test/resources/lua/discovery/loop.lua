-- Names computed at run time are registered dynamically.
for i = 1, 3 do
  test("case " .. i, function()
    assert(i > 0)
  end)
end
test("static", function() end)
