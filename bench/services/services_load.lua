-- wrk script for the Services benchmark: every request is one of many users (a token from the
-- tokens file), built once at init. Args after "--": MODE TOKENS, MODE one of
--   available  GET /services/available (the user's services, cached by cart hash)
--   ping       GET /ping with the same Authorization header: the trivial route's baseline, built
--              by the same script so that both sides pay the same load-generator cost per
--              request.
-- No response() callback: it would make wrk hand every body to Lua, a cost only this side pays.
local heads, mode = {}, "available"

function init(args)
  mode = args[1]
  local path = ({ available = "/services/available", ping = "/ping" })[mode]
  assert(path, "unknown mode " .. tostring(mode))
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  for token in io.lines(args[2]) do
    heads[#heads + 1] = "GET " .. path .. " HTTP/1.1\r\nHost: " .. host ..
        "\r\nAuthorization: Bearer " .. token .. "\r\n\r\n"
  end
  -- Distinct per thread: the address of a fresh table differs between wrk threads.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return heads[math.random(#heads)]
end
