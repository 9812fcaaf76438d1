test("runs first", function() end)

local config = nil
local port = config.port

test("never reached", function() end)
