-- wrk script for the Payment benchmark. Args after "--": MODE FILE [CURSOR THREADS | PAUSE_MS],
-- FILE a file of
-- requests, one a line: "PATH<TAB>HEADER<TAB>...<TAB>BODY" (bench/payment/webhooks.py writes
-- it), MODE one of
--   once    POST each request at most once, over the warm-up and the measured run together:
--           thread k of T (THREADS, wrk's -t) sends requests C+k, C+k+T, ... from the index C
--           in the file CURSOR ("C SENT", missing: "0 0"); at the end it writes there the next
--           unused index and SENT plus the requests this run sent, so the next run goes on from
--           there. A thread that runs out repeats its last request and stops; the file's third
--           word is then "exhausted".
--   cycle   POST the requests in random order, again and again (forged ones: they change
--           nothing).
--   ping    GET /ping with each request's headers and no body: the trivial route's baseline,
--           built by the same script so that both sides pay the same load-generator cost.
-- cycle and ping take PAUSE_MS: each connection waits that long before each request (a light
-- load, for latency without queueing); none when left out.
-- No response() callback: it would make wrk hand every body to Lua, a cost only this side pays.
local reqs, mode, threads, start, nthreads, checked = {}, "once", {}, 0, 1, false
-- Globals, read by done() through thread:get(): the thread's index (set by setup()), the cursor
-- file, how many requests it sent and whether it ran out.
id, cursor_file, used, exhausted = 0, nil, 0, false

-- The index and the count of requests sent so far in the file CURSOR.
local function read_cursor(path)
  local file = io.open(path, "r")
  if not file then return 0, 0 end
  local next_index, sent = (file:read("*l") or ""):match("^(%d+)%s+(%d+)")
  file:close()
  return tonumber(next_index or 0), tonumber(sent or 0)
end

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  mode = args[1]
  if mode == "once" then cursor_file = args[3] end
  assert(mode == "once" or mode == "cycle" or mode == "ping", "unknown mode " .. tostring(mode))
  if mode ~= "once" and tonumber(args[3] or "0") > 0 then
    -- Defined only when asked: wrk schedules a timer per request for any script with delay().
    local pause = tonumber(args[3])
    delay = function() return pause end
  elseif mode == "once" then
    nthreads = tonumber(args[4])
    assert(cursor_file and nthreads, "once needs a cursor file and the thread count")
    start = read_cursor(cursor_file)
  end
  local host = wrk.headers["Host"] or (wrk.host .. ":" .. wrk.port)
  local index = 0
  for line in io.lines(args[2]) do
    local mine = mode ~= "once" or
        (index >= start + id and (index - start - id) % nthreads == 0)
    if mine then
      local fields = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
      local path, body = fields[1], fields[#fields]
      local head = ""
      for i = 2, #fields - 1 do head = head .. fields[i] .. "\r\n" end
      if mode == "ping" then
        reqs[#reqs + 1] = "GET /ping HTTP/1.1\r\nHost: " .. host .. "\r\n" .. head .. "\r\n"
      else
        reqs[#reqs + 1] = "POST " .. path .. " HTTP/1.1\r\nHost: " .. host ..
            "\r\nContent-Type: application/json\r\n" .. head ..
            "Content-Length: " .. #body .. "\r\n\r\n" .. body
      end
    end
    index = index + 1
  end
  assert(#reqs > 0, "no requests for this thread in " .. args[2])
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  if mode ~= "once" then return reqs[math.random(#reqs)] end
  -- wrk calls the first thread's request() once before it connects, to check what it returns:
  -- that one is never sent.
  if id == 0 and not checked then
    checked = true
    return reqs[1]
  end
  if used >= #reqs then
    exhausted = true
    wrk.thread:stop()
    return reqs[#reqs]
  end
  used = used + 1
  return reqs[used]
end

function done()
  local path = threads[1]:get("cursor_file")
  if not path then return end
  local first, sent = read_cursor(path)
  local most, out_of = 0, false
  for _, thread in ipairs(threads) do
    most = math.max(most, thread:get("used"))
    sent = sent + thread:get("used")
    out_of = out_of or thread:get("exhausted")
  end
  local file = assert(io.open(path, "w"))
  file:write(first + most * #threads, " ", sent, out_of and " exhausted" or "", "\n")
  file:close()
end
