test("still runs", function() end)
