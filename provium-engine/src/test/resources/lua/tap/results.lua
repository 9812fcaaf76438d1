-- provium.tap registers TAP/KTAP results as sub-tests.
local ktap = [[
KTAP version 1
1..2
    KTAP version 1
    # Subtest: demo_suite
    1..3
    ok 1 demo_open
    # Expected len == 4, but len == 0
    not ok 2 demo_read
    ok 3 demo_ioctl # SKIP no hardware
not ok 1 demo_suite
ok 2 other_suite
]]

test("kunit output", function()
  local passed = provium.tap(ktap)
  assert_eq(false, passed)
end)

test("an exec result's stdout", function()
  assert_eq(true, provium.tap({stdout = provium.wrap("1..1\nok 1 - wrapped\n")}))
end)

test("a plan that does not match fails the caller", function()
  provium.tap("1..3\nok 1 - one\n")
end)

test("no TAP at all", function()
  provium.tap("hello\n")
end)

provium.tap("ok 1 - at file scope\n1..1\n")
