-- A later test that meets the same problem is reported not run.
test("also needs a kernel", function()
  provium.missing_prerequisite("no kernel found; run scripts/bootstrap")
end)
