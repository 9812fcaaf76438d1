test("runs", function() end)
if os.getenv("PROVIUM_NEVER_SET_THIS") then
  test("conditional", function() end)
end
