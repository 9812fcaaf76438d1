-- Static scan: names and lines.
test("boots", function()
  assert(true)
end)

test('single quotes', function() end)

test [[long string]]
  (function() end)

local function helper() end

if false then
  test("inside a branch", function() end)
end
