-- Shared by the api tests through dofile(); never a test itself.
local helpers = {}

--- Calls f(...) expecting an error whose message contains `text`.
function helpers.fails(text, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error containing: " .. text)
  assert_contains(err, text)
end

--- The line this function is called from.
function helpers.line()
  return debug.getinfo(2, "l").currentline
end

return helpers
