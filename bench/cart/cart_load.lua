-- wrk script for the Cart benchmark: every request is one of many users (a token from the
-- tokens file). Args after "--": MODE TOKENS SKUS, MODE one of
--   get   GET /cart
--   post  POST /cart/items, a random catalog sku
--   ping  GET /ping with the same Authorization header: the trivial route's baseline, built by
--         the same script so that both sides pay the same load-generator cost per request.
-- Requests are assembled at init from prebuilt pieces: wrk.format per request cost wrk about
-- as much CPU as the Cart's own GET, on the same two cores.
local heads, bodies, mode = {}, {}, "get"

function init(args)
  mode = args[1]
  local path = ({ get = "/cart", post = "/cart/items", ping = "/ping" })[mode]
  local method = mode == "post" and "POST" or "GET"
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  for token in io.lines(args[2]) do
    heads[#heads + 1] = method .. " " .. path .. " HTTP/1.1\r\nHost: " .. host ..
        "\r\nAuthorization: Bearer " .. token .. "\r\n"
  end
  if mode == "post" then
    for sku in io.lines(args[3]) do
      local body = '{"type":"offer","sku":"' .. sku .. '","quantity":1}'
      bodies[#bodies + 1] = "Content-Type: application/json\r\nContent-Length: " .. #body ..
          "\r\n\r\n" .. body
    end
  else
    bodies[1] = "\r\n"
  end
  -- Distinct per thread: the address of a fresh table differs between wrk threads.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return heads[math.random(#heads)] .. bodies[math.random(#bodies)]
end
