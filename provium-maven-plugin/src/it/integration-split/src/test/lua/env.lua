test("sees the environment the pom sets", function()
  assert_eq("hello from the pom", os.getenv("PROVIUM_IT_GREETING"))
end)

test("fails", function()
  assert_eq(1, 2)
end)
