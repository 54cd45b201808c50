-- wrk script for the Promotion benchmark: every request is one of many users, built once at init.
-- Args after "--": MODE USERS, USERS a file of one token a line (bench/promotion/publish_carts.py
-- writes it), MODE one of
--   available  GET /promotions/available (the user's cart, followed and cached by the service)
--   ping       GET /ping with the same Authorization header: the trivial route's baseline, built
--              by the same script so that both sides pay the same load-generator cost per
--              request.
-- No response() callback: it would make wrk hand every body to Lua, a cost only this side pays.
local heads, mode = {}, "available"

function init(args)
  mode = args[1]
  assert(mode == "available" or mode == "ping", "unknown mode " .. tostring(mode))
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  local path = mode == "ping" and "/ping" or "/promotions/available"
  for token in io.lines(args[2]) do
    assert(token:match("^%S+$"), "bad line in " .. args[2])
    heads[#heads + 1] = "GET " .. path .. " HTTP/1.1\r\nHost: " .. host ..
        "\r\nAuthorization: Bearer " .. token .. "\r\n\r\n"
  end
  -- Distinct per thread: the address of a fresh table differs between wrk threads.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return heads[math.random(#heads)]
end
