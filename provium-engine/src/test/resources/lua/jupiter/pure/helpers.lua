error("helpers.lua is a helper library and must never run as a test")
