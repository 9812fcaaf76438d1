-- No test() at all: the TAP results are the file's tests.
provium.tap("TAP version 13\n1..2\nok 1 - first\nnot ok 2 - second\n  ---\n  message: broken\n  ...\n")
