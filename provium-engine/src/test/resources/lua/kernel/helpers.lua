-- Shared by the kernel-testing scenarios: x86_64 system call numbers and small helpers.
local M = {}

M.SYS = {
  read = 0, write = 1, close = 3, lseek = 8, ioctl = 16, readv = 19, writev = 20, getpid = 39, socket = 41, exit = 60,
  uname = 63, fcntl = 72, getcwd = 79, getuid = 102, setuid = 105, gettid = 186, openat = 257, pipe2 = 293,
}
M.AT_FDCWD = -100
M.NOBODY = 65534

-- The NUL-terminated string at a 0-based offset of a buffer.
function M.cstring(buffer, offset)
  local from = offset + 1
  local nul = buffer:find("\0", from, true)
  return buffer:sub(from, (nul or #buffer + 1) - 1)
end

-- Opens a guest path read-only with openat(AT_FDCWD, path, O_RDONLY) and returns the fd.
function M.open(vm, path)
  local fd = vm:syscall_buf(M.SYS.openat, 1, path .. "\0", M.AT_FDCWD, 0, 0, 0)
  assert(fd >= 0, "openat " .. path .. " returned " .. tostring(fd))
  return fd
end

-- Asserts that fn(...) raises an error containing `text`.
function M.fails(text, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error containing: " .. text)
  assert_contains(tostring(err), text)
end

return M
