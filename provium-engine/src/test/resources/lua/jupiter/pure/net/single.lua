-- No test() call: the whole file is one test.
assert_eq("ab", "a" .. "b")
