-- Sub-tests: test() inside a running test, to any depth, static and computed names.
local results = {}

test("outer", function()
  results.passes = test("inner passes", function() end)
  results.fails = test("inner fails", function()
    assert_eq(1, 2)
  end)
  test("deeper", function()
    test("deepest", function() end)
  end)
  for i = 1, 2 do
    test("generated " .. i, function() end)
  end
end)

test("todo children", function()
  test("todo from the start", function()
    todo("later")
  end)
  test("todo midway", function()
    local x = 1
    todo("half done")
  end)
  assert(test("passes", function() end) == true)
end)

test("todo after a sub-test", function()
  test("runs", function() end)
  todo("rest not written")
  test("never reached", function() end)
end)

test("test() returns whether its sub-test passed", function()
  assert_eq(true, results.passes)
  assert_eq(false, results.fails)
end)
