# shellcheck shell=bash
# Helpers shared by the service benchmarks (bench/cart.sh, bench/shipping.sh, bench/services.sh).
# Source it; do not run it. It sets nothing up by itself: each script calls what it needs.
#
#   bench_require_tools TOOL...        exits 2 naming the first tool missing
#   bench_require_built                exits 2 unless the self-test and dev_token are built
#   bench_require_ready URL...         exits 2 unless every URL answers 200
#   bench_service_pid NAME PATTERN     pid of a dev service (.local/run/NAME.pid, else pgrep)
#   bench_service_env PID VAR DEFAULT  VAR in the process's environment, else DEFAULT
#   bench_workdir NAME                 BENCH_WORK: a fresh temporary folder
#   bench_catalog_skus skus|categories the sample catalog's product skus (no services), one a
#                                      line; "categories": "SKU CATEGORY" lines
#   bench_tokens PREFIX COUNT FILE     COUNT dev JWTs for users PREFIX0..PREFIX<COUNT-1>
#   bench_start_selftest [BODY_BYTES]  starts the HTTP kit's trivial route (GET /ping, 2 threads)
#                                      on a free port: BENCH_SELFTEST_PORT, BENCH_SELFTEST_PID
#   bench_rss_start PID FILE           polls VmRSS of PID every 0.2 s, the peak (kB) into FILE
#   bench_rss_stop                     stops that poller
#   bench_wrk NAME URL PID SCRIPT ARGS...
#                                      wrk warm-up, then the measured run (see below)
#   bench_settle METRICS_URL...        waits until the services are idle (see below)
#   bench_forget_users PREFIX COUNT SKUS_FILE
#                                      deletes what the dev stack keeps for those users
#   bench_stop_helpers                 stops the self-tests and pollers started here (for the
#                                      scripts' EXIT trap)
# Env: REDIS_HOST (127.0.0.1), REDIS_PORT (6390), WRK_THREADS (2), WRK_CONNECTIONS (64),
#      WRK_DURATION (10s), WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).

bench_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_selftest_bin="$bench_repo/build/bench/http_selftest/http_selftest"
bench_dev_token_bin="$bench_repo/build/tools/dev_token/dev_token"
bench_redis=(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6390}")
bench_wrk_threads="${WRK_THREADS:-2}"
bench_connections="${WRK_CONNECTIONS:-64}"
bench_duration="${WRK_DURATION:-10s}"
bench_warmup="${WRK_WARMUP:-2s}"
bench_helper_pids=()
BENCH_RSS_PID=""

bench_require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
  done
}

bench_require_built() {
  [[ -x "$bench_selftest_bin" && -x "$bench_dev_token_bin" ]] ||
    { echo "build first (./dev build)" >&2; exit 2; }
}

bench_require_ready() {
  local url
  for url in "$@"; do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" == 200 ]] ||
      { echo "not ready: $url (run ./dev up)" >&2; exit 2; }
  done
}

bench_service_pid() {
  cat "$bench_repo/.local/run/$1.pid" 2>/dev/null || pgrep -f "$2" | head -1
}

# bench_pick_service NAME PORT BINARY LOG: the service to measure. URL_VAR (e.g. WARRANTY_URL)
# if set, else in the dev profile ($profile) the running one on PORT, else its own instance of
# BINARY on a free port (consumer groups prefixed bench-, so a later run does not read its topics
# from the start again; its output in LOG). Sets service_url and service_pid, and own_pid to the
# instance it started ("" when it started none: the caller's clean-up stops it).
bench_pick_service() {
  local name="$1" port="$2" bin="$3" log="$4" url_var
  url_var="$(tr '[:lower:]' '[:upper:]' <<< "$name")_URL"
  service_url="${!url_var:-}"
  own_pid=""
  if [[ -z "$service_url" && "$profile" == dev &&
        "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" == 200 ]]; then
    service_url="http://127.0.0.1:$port"
  fi
  if [[ -n "$service_url" ]]; then
    bench_require_ready "$service_url/readyz"
    service_pid="$(bench_service_pid "$name" "services/$name/${name}_service")"
    echo "measuring the running $name at $service_url (pid $service_pid)"
    return
  fi
  [[ -x "$bin" ]] || { echo "no $bin: build it (./dev build)" >&2; exit 2; }
  local free_port i
  free_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  service_url="http://127.0.0.1:$free_port"
  HTTP_HOST=127.0.0.1 HTTP_PORT="$free_port" KAFKA_GROUP_PREFIX=bench- LOG_LEVEL=warn \
    "$bin" > "$log" 2>&1 < /dev/null &
  own_pid=$!
  service_pid=$own_pid
  for ((i = 0; i < 300; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$service_url/readyz" || true)" == 200 ]] && break
    kill -0 "$own_pid" 2>/dev/null || { echo "${name}_service exited" >&2; exit 1; }
    sleep 0.2
  done
  bench_require_ready "$service_url/readyz"
  echo "measuring its own $name at $service_url (pid $service_pid, profile $profile)"
}

bench_service_env() {
  local value
  value="$(tr '\0' '\n' < "/proc/$1/environ" 2>/dev/null | sed -n "s/^$2=//p" | head -1)"
  echo "${value:-$3}"
}

bench_workdir() {
  BENCH_WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
}

bench_catalog_skus() {
  python3 - "$bench_repo/tools/catalog/sample_catalog.jsonl" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    product = json.loads(line)
    if product["category"] != "service":
        print(product["sku"] + (" " + product["category"] if sys.argv[2] == "categories" else ""))
PY
}

bench_tokens() {
  "$bench_dev_token_bin" --many "$1" "$2" > "$3"
}

bench_start_selftest() {
  BENCH_SELFTEST_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  HTTP_PORT="$BENCH_SELFTEST_PORT" LOG_LEVEL=warn BENCH_BODY_BYTES="${1:-128}" "$bench_selftest_bin" \
    >> "${BENCH_WORK:-/tmp}/selftest.log" 2>&1 &
  BENCH_SELFTEST_PID=$!
  bench_helper_pids+=("$BENCH_SELFTEST_PID")
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BENCH_SELFTEST_PORT/ping" || true)" == 200 ]]; do
    kill -0 "$BENCH_SELFTEST_PID" 2>/dev/null || { echo "the self-test did not start" >&2; exit 1; }
    sleep 0.05
  done
}

bench_rss_start() {
  local pid="$1" file="$2"
  ( peak=0
    while sleep 0.2; do
      rss="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
      ((rss > peak)) && peak=$rss && echo "$peak" > "$file"
    done ) &
  BENCH_RSS_PID=$!
  bench_helper_pids+=("$BENCH_RSS_PID")
}

bench_rss_stop() {
  [[ -n "$BENCH_RSS_PID" ]] && kill "$BENCH_RSS_PID" 2>/dev/null
  BENCH_RSS_PID=""
  return 0
}

bench_stop_helpers() {
  local pid
  for pid in "${bench_helper_pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  bench_helper_pids=()
  return 0
}

# User + system CPU time of process PID so far, in clock ticks.
bench_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Redis's user + system CPU time so far, in seconds (its main thread and children).
bench_redis_cpu() {
  "${bench_redis[@]}" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {print s}'
}

# bench_wrk NAME URL PID SCRIPT ARGS...: a WRK_WARMUP run, then the measured WRK_DURATION run
# (its output kept in $BENCH_WORK/NAME.out), both with the wrk Lua SCRIPT and ARGS after "--".
# Prints "rps p50 p99 max non2xx socket-errors cpu redis-cpu": the CPU time of process PID (the
# server measured), and of Redis, during the measured run per request.
bench_wrk() {
  local name="$1" url="$2" pid="$3" lua="$4" before after redis_before redis_after
  shift 4
  local script=(-s "$lua" "$url" -- "$@")
  wrk -t"$bench_wrk_threads" -c"$bench_connections" -d"$bench_warmup" "${script[@]}" > /dev/null
  before="$(bench_cpu_ticks "$pid")"
  redis_before="$(bench_redis_cpu)"
  wrk -t"$bench_wrk_threads" -c"$bench_connections" -d"$bench_duration" --latency "${script[@]}" \
    > "$BENCH_WORK/$name.out"
  after="$(bench_cpu_ticks "$pid")"
  redis_after="$(bench_redis_cpu)"
  awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" \
      -v redis="$(awk -v a="$redis_before" -v b="$redis_after" 'BEGIN {print b - a}')" '
       /Requests\/sec:/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
       / requests in / {n=$1}
       $1=="Latency" && $2!="Distribution" {max=$4}
       /Non-2xx/ {bad=$NF}
       /Socket errors:/ {gsub(",", ""); errors=$4+$6+$8+$10}
       END {printf "%s %s %s %s %s %s %.0fus %.0fus\n", rps, p50, p99, max, bad+0, errors+0,
                   n ? ticks * 1e6 / hz / n : 0, n ? redis * 1e6 / n : 0}' "$BENCH_WORK/$name.out"
}

# bench_settle METRICS_URL...: waits until the services behind those /metrics URLs have published
# and consumed everything (every outbox_backlog and kafka_consumer_lag gauge at zero) and no Redis
# AOF rewrite runs, for 6 s in a row (the lag gauges are refreshed every 5 s), so that one phase's
# background work does not land in the next one's figures. Prints how long it took until that
# quiet streak began, or "timeout" after SETTLE_TIMEOUT seconds.
bench_settle() {
  local started=$SECONDS deadline=$((SECONDS + ${SETTLE_TIMEOUT:-600})) quiet_since=-1 pending url
  while ((SECONDS < deadline)); do
    pending="$(for url in "$@"; do curl -s "$url"; done | awk '
      /^outbox_backlog\{/ {n += $2}
      /^kafka_consumer_lag\{/ {n += $2}
      END {print n + 0}')"
    pending=$((pending + $("${bench_redis[@]}" info persistence | tr -d '\r' |
      awk -F: '/^aof_rewrite_in_progress:/ {print $2 + 0}')))
    if [[ "$pending" != 0 ]]; then
      quiet_since=-1
    elif ((quiet_since < 0)); then
      quiet_since=$SECONDS
    elif ((SECONDS - quiet_since >= 6)); then
      echo "$((quiet_since - started))"
      return
    fi
    sleep 1
  done
  echo "timeout"
}

# bench_forget_users PREFIX COUNT SKUS_FILE: deletes what the dev stack keeps for the users
# PREFIX0..PREFIX<COUNT-1>, so that repeated runs do not grow the dev Redis (and its AOF
# rewrites): the Cart's view, counter, event stream and holder entries (SKUS_FILE: the skus they
# may hold, first word of each line); the Shipping's pointer, per-user answer and the current
# session with its address and add-ons; the Services' pointer, the current session and the
# answer cached for its cart hash. Settle first: an event consumed after this would bring a
# session back. Cached Shipping methods expire on their own (SHIPPING_METHODS_CACHE_S).
bench_forget_users() {
  local prefix="$1" count="$2" skus_file="$3" first batch=500
  local lua="
local prefix, first, last = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local users = {}
for i = first, last do
  local u = prefix .. i
  users[#users + 1] = u
  redis.call('UNLINK', 'cart:view:{' .. u .. '}', 'cart:counter:{' .. u .. '}',
             'cart:events:{' .. u .. '}')
  local sid = redis.call('HGET', 'shipping:user:{' .. u .. '}', 'session_id')
  if sid then
    redis.call('UNLINK', 'shipping:session:{' .. sid .. '}', 'shipping:address:{' .. sid .. '}',
               'shipping:addons:{' .. sid .. '}')
  end
  redis.call('UNLINK', 'shipping:user:{' .. u .. '}', 'shipping:available:{' .. u .. '}')
  sid = redis.call('HGET', 'services:user:{' .. u .. '}', 'session_id')
  if sid then
    local cart = redis.call('HGET', 'services:session:{' .. sid .. '}', 'cart')
    if cart then
      local ok, doc = pcall(cjson.decode, cart)
      if ok and type(doc) == 'table' and type(doc.cart_hash) == 'string' then
        redis.call('UNLINK', 'services:available:{' .. doc.cart_hash .. '}')
      end
    end
    redis.call('UNLINK', 'services:session:{' .. sid .. '}')
  end
  redis.call('UNLINK', 'services:user:{' .. u .. '}', 'services:answer:{' .. u .. '}')
end
for i = 4, #ARGV do redis.call('SREM', 'cart:holders:{' .. ARGV[i] .. '}', unpack(users)) end
return #users"
  local skus=()
  [[ -s "$skus_file" ]] && mapfile -t skus < <(awk '{print $1}' "$skus_file")
  for ((first = 0; first < count; first += batch)); do
    "${bench_redis[@]}" eval "$lua" 0 "$prefix" "$first" \
      "$(( first + batch < count ? first + batch - 1 : count - 1 ))" "${skus[@]}" > /dev/null
  done
}

# bench_ms TEXT: a wrk duration ("812.00us", "3.41ms", "1.01s") in milliseconds.
bench_ms() {
  awk -v t="$1" 'BEGIN {
    f = 1
    if (t ~ /us$/) f = 0.001; else if (t ~ /ms$/) f = 1; else if (t ~ /m$/) f = 60000;
    else if (t ~ /s$/) f = 1000
    sub(/[a-z]+$/, "", t); printf "%.2f", t * f }'
}
