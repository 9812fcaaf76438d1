---@meta provium
-- LuaLS (lua-language-server) definitions of the globals and methods the Provium engine gives every test file.
-- Not run: point .luarc.json's "workspace.library" at the directory holding this file
-- (mvn provium:lua-meta writes it to .provium/luals; provium:init sets .luarc.json up).
-- Kept in step with the bindings by LuaMetaDefinitionsTest: a binding without a definition fails the build.

---@class StringWrapper
---@field value string the raw string (tostring(w) and w .. "" give it too)
local StringWrapper = {}

---Whether the string contains `needle` (plain text, no pattern). Called with a dot: `r.stdout.contains("x")`.
---@param needle string
---@return boolean
function StringWrapper.contains(needle) end

---Whether the string starts with `prefix`. Called with a dot.
---@param prefix string
---@return boolean
function StringWrapper.starts_with(prefix) end

---The string without leading and trailing white space. Called with a dot.
---@return string
function StringWrapper.trim() end

---@class ExecResult
---@field ok boolean exit_code == 0
---@field exit_code integer the command's exit status; 128+signal when killed by a signal
---@field stdout StringWrapper
---@field stderr StringWrapper
---@field timed_out? boolean true when the command ran out of time and was killed (absent otherwise)
---@field message? string says what timed out, when timed_out is set

---@class ExecOptions
---@field timeout? number seconds the command may run (default: the operation_timeout setting)

---@class TestOptions
---@field timeout? number seconds this test may run (default: provium.timeout or the test_timeout setting)

---@class Job
---@field id integer
---@field pid integer

---@class JobResult
---@field exit_code integer -1 while running
---@field stdout string
---@field stderr string
---@field running boolean
---@field timed_out? boolean true when job_wait's wait ended with the job still running (absent otherwise)
---@field message? string says what timed out, when timed_out is set

---@class Disk
---@field path string host path (relative to the project directory)
---@field format? "raw"|"qcow2"
---@field readonly? boolean

---@class BootOptions
---@field memory? string like "512M" (default) or "1G"
---@field cpus? integer default 1
---@field files? table<string, string> guest path → host path, injected into the initramfs before boot
---@field disks? Disk[] appear as /dev/vda, /dev/vdb, …
---@field cold? boolean boot from scratch instead of resuming the boot cache's snapshot

---@class WaitOptions
---@field timeout? number seconds, default 10
---@field interval? number seconds between polls, default 0.5
---@field desc? string named in the timeout error, default "condition"

---@class PtrSpec
---@field [1] integer buf_idx: the buffer the pointer is written into
---@field [2] integer ptr_offset: where in that buffer
---@field [3] integer data_len: size of the sub-buffer
---@field [4]? boolean output: return the sub-buffer after the call
---@field [5]? string data: initial content

---@class IoctlPtrSpec
---@field ptr_offset integer where in the struct the pointer goes
---@field buf_len? integer size of the buffer (default #data)
---@field output? boolean return the buffer after the call
---@field data? string initial content

---The methods a VM and a worker share: commands, files, system calls, ioctls, jobs, the kernel log.
---@class Guest
local Guest = {}

---Runs `cmd` with /bin/sh -c in the guest.
---@param cmd string
---@param opts? ExecOptions
---@return ExecResult
function Guest:exec(cmd, opts) end

---Runs `cmd` and parses its standard output as JSON (arrays become 1-based sequences); an error on a non-zero exit
---or invalid JSON.
---@param cmd string
---@return any
function Guest:json(cmd) end

---Reads a guest file (binary-safe).
---@param path string
---@return string
function Guest:read_file(path) end

---Writes a guest file (binary-safe).
---@param path string
---@param data string
function Guest:write_file(path, data) end

---Mounts proc, sysfs, securityfs and devtmpfs where they belong; idempotent.
function Guest:mount_vfs() end

---Polls `fn` until it returns a truthy value, which is returned; raises "timed out after Ns waiting for <desc>".
---@generic T
---@param fn fun(): T
---@param opts? WaitOptions
---@return T
function Guest:wait_until(fn, opts) end

---The kernel log; with a pattern (a regular expression), only the matching lines.
---@param pattern? string
---@return string
function Guest:dmesg(pattern) end

---A raw system call with integer arguments (run in the agent's process); returns the raw result, negative errno on
---failure. 64-bit values beyond 2^53 may be given as "0x…" strings.
---@param nr integer
---@param ... integer|string
---@return integer
function Guest:syscall(nr, ...) end

---A system call whose argument `idx` is a pointer to a guest copy of `data`; `...` is the full argument list with a
---placeholder at `idx`. Returns the result and the buffer after the call.
---@param nr integer
---@param idx integer
---@param data string
---@param ... integer|string
---@return integer ret
---@return string buffer
function Guest:syscall_buf(nr, idx, data, ...) end

---A system call with several buffers (`{[idx] = data}`); returns the result, then every buffer after the call in
---ascending index order.
---@param nr integer
---@param bufs table<integer, string>
---@param ... integer|string
---@return integer ret
---@return string ...
function Guest:syscall_bufs(nr, bufs, ...) end

---A system call with buffers and pointers patched into them; returns the result, the buffers (index order), then the
---sub-buffers marked output (spec order).
---@param nr integer
---@param bufs table<integer, string>
---@param ptrs PtrSpec[]
---@param ... integer|string
---@return integer ret
---@return string ...
function Guest:syscall_ptr(nr, bufs, ptrs, ...) end

---An ioctl; the direction bits of `cmd` decide: _IOR/_IOWR return the struct after the call, _IOW/_IO return nil.
---@param fd integer
---@param cmd integer
---@param data? string
---@return integer ret
---@return string? out
function Guest:ioctl(fd, cmd, data) end

---An ioctl whose struct carries user pointers, patched in from `specs`; returns the result, the struct after the call
---(read directions), then the output buffers in spec order.
---@param fd integer
---@param cmd integer
---@param struct string
---@param specs IoctlPtrSpec[]
---@return integer ret
---@return string? struct
---@return string ...
function Guest:ioctl_buf(fd, cmd, struct, specs) end

---Starts `cmd` in the background and returns at once.
---@param cmd string
---@return Job
function Guest:background(cmd) end

---Waits up to `timeout` seconds (0 or nil: poll) for a job.
---@param job Job
---@param timeout? number
---@return JobResult
function Guest:job_wait(job, timeout) end

---Kills a job; returns its final result.
---@param job Job
---@return JobResult
function Guest:job_kill(job) end

---A guest: created by provium.create(), booted by vm:boot(), or resumed running by provium.fixture().
---@class Vm : Guest
local Vm = {}

---Starts QEMU and waits until the agent answers (timeout: boot_timeout, default 60 s).
---@param opts? BootOptions
function Vm:boot(opts) end

---Forks the agent into a worker with its own pid ({thread = true}: a thread sharing fds and memory, with its own
---credentials). Workers end with the test that spawned them.
---@param opts? {thread?: boolean}
---@return Worker
function Vm:spawn(opts) end

---Powers the guest off (waits up to 10 s, then kills QEMU); its resources are freed.
function Vm:shutdown() end

---Terminates QEMU now.
function Vm:kill() end

---A process (or thread) forked from the agent by vm:spawn(): every guest method but boot, shutdown and spawn.
---@class Worker : Guest
local Worker = {}

---Ends the worker.
function Worker:kill() end

---@class provium
provium = {}

---A VM from a profile of provium.toml (default: the built-in "default"), not booted.
---@param profile? string
---@return Vm
function provium.create(profile) end

---A running VM resumed from the snapshot of fixtures/<name>.lua (built on first use, cached across runs).
---@param name string
---@return Vm
function provium.fixture(name) end

---Shuts down every VM the current test (at file level: the file) created.
function provium.shutdown_all() end

---Packs values little-endian; `fmt` is space-separated types: u8 i8 u16 i16 u32 i32 u64 i64 (u64/i64 also take
---"0x…" strings).
---@param fmt string
---@param ... integer|string
---@return string
function provium.pack(fmt, ...) end

---Unpacks little-endian values (see provium.pack); short data is an error.
---@param fmt string
---@param data string
---@return integer|string ...
function provium.unpack(fmt, data) end

---Registers every result of TAP 13/14 or KTAP output (nested subtests, # SKIP, # TODO, diagnostics) as a
---sub-test of the running test; a `not ok` fails with its diagnostics.
---@param output string|ExecResult
function provium.tap(output) end

---At file scope: the time limit, in seconds, of every test that starts after the call.
---@param seconds number
function provium.timeout(seconds) end

---A named test: a failure in one does not stop the others; code outside test() runs once, in order.
---Called inside a running test it registers a sub-test; returns whether the test passed.
---@param name string
---@param opts_or_fn TestOptions|fun()
---@param fn? fun()
---@return boolean
function test(name, opts_or_fn, fn) end

---Inside a test: skips it, reported as skipped with the reason. At file scope: skips the rest of the file.
---@param reason? string
function todo(reason) end

---Raises with the caller's file:line unless `cond` is truthy.
---@generic T
---@param cond T
---@param msg? string
---@return T
function assert(cond, msg) end

---Fails unless `expected` equals `actual` (tables compared deeply); shows both (non-printable bytes as hex).
---@param expected any
---@param actual any
---@param msg? string
function assert_eq(expected, actual, msg) end

---Fails unless `haystack` contains `needle`.
---@param haystack string|StringWrapper
---@param needle string
---@param msg? string
function assert_contains(haystack, needle, msg) end
