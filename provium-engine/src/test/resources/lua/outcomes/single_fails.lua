-- No test() calls, and it fails.
local answer = 41
assert(answer == 42, "the answer is wrong")
