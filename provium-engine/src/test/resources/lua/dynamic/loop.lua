-- Dynamic names, duplicate dynamic names, and a literal name called more often than it appears.
local names = {"alpha", "beta", "alpha"}
for _, name in ipairs(names) do
  test(name, function() end)
end

for i = 1, 2 do
  test("literal in a loop", function()
    assert(i == 1, "second iteration fails")
  end)
end
