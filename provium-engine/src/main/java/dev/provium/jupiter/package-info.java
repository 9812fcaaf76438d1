/**
 * Provium for JUnit Jupiter tests written in Java: {@link dev.provium.jupiter.Provium} /
 * {@link dev.provium.jupiter.ProviumExtension} inject booted {@link dev.provium.vm.Vm}s (configured by
 * {@link dev.provium.jupiter.Guest}), {@link dev.provium.jupiter.LuaTests} turns Lua files into dynamic tests,
 * and {@link dev.provium.jupiter.ProviumAssertions} adds AssertJ assertions for guests.
 */
package dev.provium.jupiter;
