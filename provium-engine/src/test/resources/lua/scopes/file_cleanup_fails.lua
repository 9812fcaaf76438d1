provium.own_failing("stuck VM")

test("passes", function() end)
