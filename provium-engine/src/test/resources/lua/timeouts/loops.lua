provium.timeout(30)

test("spins forever", {timeout = 0.5}, function()
  provium.own("worker of the spinning test")
  while true do end
end)

test("pcall cannot swallow the timeout", {timeout = 0.5}, function()
  while true do
    pcall(function() while true do end end)
  end
end)

test("a coroutine is interrupted too", {timeout = 0.5}, function()
  local co = coroutine.wrap(function() while true do end end)
  co()
end)

test("runs after the timeouts", function()
  local closed = table.concat(provium.closed(), ",")
  assert_contains(closed, "worker of the spinning test")
end)

test("provium.timeout belongs at file scope", function()
  provium.timeout(1)
end)
