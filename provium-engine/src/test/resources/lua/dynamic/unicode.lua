#!/usr/bin/env provium
-- Non-ASCII names match between the static scan and the run.
test("größe ✓", function()
  assert_eq("✓", "\xE2\x9C\x93")
end)
