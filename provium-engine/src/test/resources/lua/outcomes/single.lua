-- No test() calls: the file itself is the test.
local x = 40 + 2
assert_eq(42, x)
