/**
 * The Lua runtime of a test file: LuaJ globals with Provium's API ({@code test}, {@code todo}, {@code assert},
 * {@code assert_eq}, {@code assert_contains}, {@code provium.pack}/{@code unpack}), file loading relative to the
 * project, and the mapping of Lua errors to JUnit failures.
 *
 * <p>Extension points, for bindings such as the VMs:
 * <ul>
 *   <li>{@link dev.provium.lua.FileBindings} adds functions to the {@code provium} table (and globals) of
 *       each file's Lua state; it is installed after the core API.</li>
 *   <li>{@link dev.provium.lua.FileRunContext} gives a binding the file's resource scopes:
 *       {@code fileScope()} for what lives until the file ends (VMs), {@code currentScope()} for what ends with
 *       the running {@code test()} (workers, jobs). Register {@link java.lang.AutoCloseable}s there.</li>
 *   <li>{@link dev.provium.lua.StringWrapper} builds the stdout/stderr values {@code vm:exec} returns.</li>
 *   <li>A binding reports user mistakes by throwing {@link org.luaj.vm2.LuaError}. Anything else it throws
 *       (say a VM launch exception whose message carries the console tail) is an error too: {@code pcall}
 *       catches it as its message, and uncaught it ends the test as an error that keeps the exception as its
 *       cause, see {@link dev.provium.lua.LuaFailures}.</li>
 * </ul>
 */
package dev.provium.lua;
