-- A helper library: required by tests, never a test itself.
return { add = function(a, b) return a + b end }
