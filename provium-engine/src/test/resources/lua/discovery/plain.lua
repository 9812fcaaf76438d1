-- A file without test() calls is one test.
assert_eq(1, 1)
