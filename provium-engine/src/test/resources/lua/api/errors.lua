local line = dofile("helpers.lua").line

local function raise(message, level)
  error(message, level)
end

test("error messages carry the position Lua would give", function()
  local here = line(); local ok, err = pcall(function() error("plain") end)
  assert_eq("errors.lua:" .. here .. ": plain", err)
  here = line(); ok, err = pcall(function() raise("from the caller", 2) end)
  assert_eq("errors.lua:" .. here .. ": from the caller", err)
  ok, err = pcall(error, "no position", 0)
  assert_eq("no position", err)
end)

test("runtime errors read chunk:line: message, without traceback", function()
  local here = line(); local ok, err = pcall(function() local t = nil; return t.x end)
  assert_eq("errors.lua:" .. here .. ": attempt to index ? (a nil value)", err)
end)

test("error objects pass through pcall unchanged", function()
  local object = {code = 7}
  local ok, err = pcall(error, object)
  assert(err == object)
  local ok2, err2 = pcall(error, 42)
  assert_eq(42, err2)
end)

test("xpcall hands the handler the message where the error happened", function()
  local here = line(); local ok, err = xpcall(function() error("deep") end, function(m) return "handled: " .. m end)
  assert_eq(false, ok)
  assert_eq("handled: errors.lua:" .. here .. ": deep", err)
  local ok2, trace = xpcall(function() error("traced") end, debug.traceback)
  assert_contains(trace, "stack traceback:")
  local ok3, a, b = xpcall(function(x, y) return x + y, "z" end, print, 1, 2)
  assert_eq({true, 3, "z"}, {ok3, a, b})
end)

test("Java exceptions from bindings become Lua errors", function()
  local ok, err = pcall(provium.java_error, "it broke")
  assert_eq(false, ok)
  assert_contains(err, "java.lang.IllegalStateException: it broke")
end)

test("os.exit is refused", function()
  local ok, err = pcall(os.exit, 1)
  assert_contains(err, "os.exit() would end the JVM")
end)
