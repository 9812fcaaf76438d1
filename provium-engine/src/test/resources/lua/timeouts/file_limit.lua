provium.timeout(0.5)

test("spins under the file's limit", function()
  while true do end
end)

test("a sub-test past its parent's limit", function()
  test("spins", {timeout = 60}, function()
    while true do end
  end)
end)
