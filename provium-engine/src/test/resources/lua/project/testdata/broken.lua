return {answer = = 42}
