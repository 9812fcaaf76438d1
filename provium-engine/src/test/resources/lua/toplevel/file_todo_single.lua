todo("not written yet")
