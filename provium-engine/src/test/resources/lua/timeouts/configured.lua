test("spins under the configured limit", function()
  while true do end
end)
