test("same", function() end)
test("same", function() end)
test("same [2]", function() end)
test("same", function() end)
