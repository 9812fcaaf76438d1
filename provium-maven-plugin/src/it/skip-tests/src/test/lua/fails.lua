test("would fail", function()
  assert(false, "must not run")
end)
