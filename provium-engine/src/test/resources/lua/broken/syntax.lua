test("never discovered", function()
end)

local x = = 1
