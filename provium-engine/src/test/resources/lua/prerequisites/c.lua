-- A later file whose top-level code meets it is not run either, and neither are its tests.
provium.missing_prerequisite("no kernel found; run scripts/bootstrap")

test("never reached", function()
end)
