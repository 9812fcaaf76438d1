-- Waits at a barrier all the parallel files must reach together: it passes only if they run at once.
test("meets the others", function()
  provium.barrier()
end)

test("then finishes", function()
  assert_eq("c", "c")
end)
