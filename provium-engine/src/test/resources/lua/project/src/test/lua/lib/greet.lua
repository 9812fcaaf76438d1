local greet = {}

function greet.hello(name)
  return "hello " .. name
end

return greet
