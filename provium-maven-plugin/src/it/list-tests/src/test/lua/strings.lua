test("upper-cases", function()
  assert_eq("ABC", string.upper("abc"))
end)

test("lower-cases", function()
  assert_eq("abc", string.lower("ABC"))
end)
