/**
 * The JUnit Platform engine {@code provium}: discovery of Lua test files (static scan of {@code test("…")}
 * calls), one container per file and one test per {@code test()} call, files run in parallel through the
 * hierarchical executor. Configuration keys are in {@link dev.provium.config.Constants}; bindings beyond the
 * core Lua API are plugged in through {@link dev.provium.lua.LuaBindings} (see
 * {@link dev.provium.engine.ProviumTestEngine#ProviumTestEngine()}).
 */
package dev.provium.engine;

import dev.provium.lua.LuaBindings;
