-- wrk script for the Cart benchmark: every request is one of many users (a token from the
-- tokens file), POST adds a random catalog sku. Args after "--": MODE (get|post) TOKENS SKUS.
local tokens, skus, mode = {}, {}, "get"

function init(args)
  mode = args[1]
  for line in io.lines(args[2]) do tokens[#tokens + 1] = line end
  for line in io.lines(args[3]) do skus[#skus + 1] = line end
  -- Distinct per thread: the address of a fresh table differs between wrk threads.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] }
  if mode == "post" then
    headers["Content-Type"] = "application/json"
    local body = '{"type":"offer","sku":"' .. skus[math.random(#skus)] .. '","quantity":1}'
    return wrk.format("POST", "/cart/items", headers, body)
  end
  return wrk.format("GET", "/cart", headers)
end
