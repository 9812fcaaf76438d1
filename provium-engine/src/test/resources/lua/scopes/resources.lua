provium.own("file resource")

test("owns a resource", function()
  provium.own("test resource")
end)

test("fails to release a resource", function()
  provium.own_failing("stuck worker")
end)

test("sees its own resources closed before the next test", function()
  assert_eq({"test resource", "stuck worker"}, provium.closed())
end)
