error("helper libraries are not tests")
