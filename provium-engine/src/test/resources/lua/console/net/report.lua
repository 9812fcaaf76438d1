-- One test per outcome, for the Console Launcher's XML report.
test("passes", function()
  assert_eq(4, 2 + 2)
end)

test("fails an assertion", function()
  assert_eq("expected text", "actual text")
end)

test("raises an error", function()
  error("something broke")
end)

test("is todo", function()
  todo("not implemented yet")
end)
