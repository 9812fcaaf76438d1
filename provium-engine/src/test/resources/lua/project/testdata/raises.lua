local x = 1
error("raised from a data file")
