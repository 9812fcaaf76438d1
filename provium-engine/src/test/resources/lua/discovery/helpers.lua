error("helpers.lua is not a test")
