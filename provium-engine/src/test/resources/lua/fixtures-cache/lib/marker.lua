return {text = "first marker"}
