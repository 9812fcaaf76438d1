-- Both tests ask for a fixture whose script fails: both report the build's error; it is built once.
test("first use", function()
  provium.fixture("broken")
end)

test("second use", function()
  provium.fixture("broken")
end)
