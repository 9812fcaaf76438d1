-- The first test to meet the missing prerequisite fails with the full message.
test("needs a kernel", function()
  provium.missing_prerequisite("no kernel found; run scripts/bootstrap")
end)

test("does not", function()
  assert_eq(2, 1 + 1)
end)
