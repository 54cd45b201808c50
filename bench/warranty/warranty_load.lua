-- wrk script for the Warranty benchmark: every request is one of many users, with that user's
-- product line, built once at init. Args after "--": MODE LINES, LINES a file of "TOKEN ITEM_ID"
-- lines (bench/warranty/publish_carts.py writes it), MODE one of
--   available  GET /warranty/available?item_id=<the user's line>
--   ping       GET /ping with the same Authorization header: the trivial route's baseline, built
--              by the same script so that both sides pay the same load-generator cost per
--              request.
-- No response() callback: it would make wrk hand every body to Lua, a cost only this side pays.
local heads, mode = {}, "available"

function init(args)
  mode = args[1]
  assert(mode == "available" or mode == "ping", "unknown mode " .. tostring(mode))
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  for line in io.lines(args[2]) do
    local token, item = line:match("^(%S+)%s+(%S+)$")
    assert(token, "bad line in " .. args[2])
    local path = mode == "ping" and "/ping" or ("/warranty/available?item_id=" .. item)
    heads[#heads + 1] = "GET " .. path .. " HTTP/1.1\r\nHost: " .. host ..
        "\r\nAuthorization: Bearer " .. token .. "\r\n\r\n"
  end
  -- Distinct per thread: the address of a fresh table differs between wrk threads.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return heads[math.random(#heads)]
end
