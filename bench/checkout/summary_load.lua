-- wrk script for the Checkout benchmark: every request is one of many users (a token from the
-- tokens file, users that have a cart and a checkout session), built once at init. Args after
-- "--": MODE TOKENS, MODE one of
--   summary  GET /checkout/summary (the user's whole summary: lines, totals with the VAT
--            breakdown, readiness; no version asked, so it answers at once)
--   ping     GET /ping with the same Authorization header: the trivial route's baseline, built
--            by the same script so that both sides pay the same load-generator cost per request.
-- No response() callback: it would make wrk hand every body to Lua, a cost only this side pays.
local heads, mode = {}, "summary"

function init(args)
  mode = args[1]
  assert(mode == "summary" or mode == "ping", "unknown mode " .. tostring(mode))
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  local path = mode == "ping" and "/ping" or "/checkout/summary"
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
