#!/usr/bin/env bash
# Benchmarks the Shipping: GET /shipping/available over many users' sessions, and GET
# /shipping/calendar served stale while the carrier is down and the circuit breaker is open,
# 64 connections, against the HTTP kit's trivial route (bench/http_selftest) measured in the same
# run with the same wrk settings and the same request script (bench/shipping/shipping_load.lua:
# each request carries one of the users' tokens), so that the ratio compares services, not
# load-generator work. Prints req/s, p50/p99, max, the server's and Redis's CPU time per request,
# the ratios and the Shipping's peak resident memory under load (VmRSS polled every 0.2 s).
# Targets (2 cores): available >= 0.5x trivial; stale calendar p99 < 5 ms; RSS < 50 MB.
#
# Phases:
#  0. The calendar of courier/00-950 is fetched once while the carrier simulator is healthy
#     (cached by the Shipping), first thing, because phase 4 needs it older than the Shipping's
#     CALENDAR_FRESH_S (300 s): a fresh cached calendar is served as it is (stale:false) without
#     asking the carrier, so the breaker would never be in the path.
#  1. Set-up (unmeasured): BENCH_USERS users each get a cart of 1-3 random catalog lines through
#     the Cart's API (the Cart publishes CartItemAdded, the Shipping follows it into a session);
#     then each user's GET /shipping/available is asked until it names a session and the cart's
#     hash (which also caches shipping:methods:{cart_hash}). Then settle (below).
#  2. The trivial route.
#  3. GET /shipping/available over the users.
#  4. Waits until the cached calendar is older than CALENDAR_FRESH_S, injects 503s at the
#     simulator (POST /control/faults), calls the calendar until the Shipping's breaker is open
#     (circuit_breaker_state{name="carrier"} 1), then GET /shipping/calendar: every answer is the
#     last good calendar, 200 with "stale":true. The breaker half-opens every
#     CARRIER_CB_OPEN_WAIT_MS (10 s) and lets a few probes through, which fail (the fault stays
#     on) and open it again: those requests wait for the carrier's 503 and its Retry-After (about
#     1 s: the Max column), the rest never call it. The simulator is reset afterwards and the
#     bench asks calendars until the breaker is closed again (its 3 half-open probes must
#     succeed, and only a calendar not fresh in the cache asks the carrier: a few random postal
#     codes' calendars stay cached for CALENDAR_KEEP_S).
# Settling waits for the Cart's and the Shipping's outbox and consumer lag to reach zero, and no
# Redis AOF rewrite, for 6 s in a row, so background work does not land in the measured phases.
# The users' carts, Shipping pointers and sessions are deleted at the end (cached methods expire
# by SHIPPING_METHODS_CACHE_S, 10 minutes; calendars by CALENDAR_KEEP_S, a day).
# A run takes about 6 minutes, most of it waiting for the calendar to age (no wait if the
# Shipping runs with CALENDAR_FRESH_S=0; the bench reads the setting from its environment).
#
# Needs the dev stack (./dev bench starts it): cart_service, shipping_service and
# carrier_calendar_sim, the sample catalog.
# Env: SHIPPING_URL (http://127.0.0.1:8102), CART_URL (http://127.0.0.1:8101),
#      CARRIER_SIM_URL (http://127.0.0.1:8201), BENCH_USERS (2000), WRK_THREADS (2),
#      WRK_CONNECTIONS (64), WRK_DURATION (10s), WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
shipping_url="${SHIPPING_URL:-http://127.0.0.1:8102}"
cart_url="${CART_URL:-http://127.0.0.1:8101}"
sim_url="${CARRIER_SIM_URL:-http://127.0.0.1:${CARRIER_SIM_PORT:-8201}}"
users="${BENCH_USERS:-2000}"
wrk_threads="${WRK_THREADS:-2}"
connections="${WRK_CONNECTIONS:-64}"
duration="${WRK_DURATION:-10s}"
warmup="${WRK_WARMUP:-2s}"
selftest="$repo/build/bench/http_selftest/http_selftest"
dev_token="$repo/build/tools/dev_token/dev_token"
shipping_pid_file="$repo/.local/run/shipping.pid"
calendar_path="/shipping/calendar?method=courier&postal_code=00-950"
redis=(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6390}")

for tool in wrk curl python3 redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -x "$selftest" && -x "$dev_token" ]] || { echo "build first (./dev build)" >&2; exit 2; }
for url in "$shipping_url/readyz" "$cart_url/readyz" "$sim_url/healthz"; do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" == 200 ]] ||
    { echo "not ready: $url (run ./dev up)" >&2; exit 2; }
done
shipping_pid="$(cat "$shipping_pid_file" 2>/dev/null ||
  pgrep -f services/shipping/shipping_service | head -1)"
# The service's own settings where they matter to the phases (its environment, else the default).
service_env() {
  local value
  value="$(tr '\0' '\n' < "/proc/$shipping_pid/environ" 2>/dev/null | sed -n "s/^$1=//p" | head -1)"
  echo "${value:-$2}"
}
calendar_fresh_s="$(service_env CALENDAR_FRESH_S 300)"
open_wait_ms="$(service_env CARRIER_CB_OPEN_WAIT_MS 10000)"

work="$(mktemp -d /tmp/shipping_bench.XXXXXX)"
selftest_pid=""
sampler_pid=""
faults_on=0
run_id="$RANDOM"
prefix="bench-ship-$run_id-"

# Deletes what the run wrote for its users: their carts (view, counter, stream, holder entries),
# their Shipping pointer and sessions, so that repeated runs do not grow the dev Redis.
forget_bench_users() {
  python3 - "$prefix" "$users" "$work/skus" "$work/sessions" <<'PY' | "${redis[@]}" --pipe > /dev/null
import os, sys
prefix, count, skus_file, sessions_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
skus = open(skus_file).read().split()
sessions = open(sessions_file).read().split() if os.path.exists(sessions_file) else []
def command(*args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        out.append(f"${len(a.encode())}\r\n{a}\r\n")
    sys.stdout.write("".join(out))
users = [f"{prefix}{i}" for i in range(count)]
for u in users:
    command("UNLINK", f"cart:view:{{{u}}}", f"cart:counter:{{{u}}}", f"cart:events:{{{u}}}")
    command("UNLINK", f"shipping:user:{{{u}}}")
for s in sessions:
    command("UNLINK", f"shipping:session:{{{s}}}", f"shipping:address:{{{s}}}",
            f"shipping:addons:{{{s}}}")
for sku in skus:
    for i in range(0, len(users), 1000):
        command("SREM", f"cart:holders:{{{sku}}}", *users[i:i + 1000])
PY
}
sim_reset() { curl -s -o /dev/null -X POST "$sim_url/control/reset"; }
cleanup() {
  ((faults_on)) && sim_reset
  [[ -s "$work/skus" ]] && forget_bench_users
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null
  [[ -n "$selftest_pid" ]] && kill "$selftest_pid" 2>/dev/null && wait "$selftest_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$dev_token" --many "$prefix" "$users" > "$work/tokens"
token="$(head -1 "$work/tokens")"
python3 - "$repo/tools/catalog/sample_catalog.jsonl" > "$work/skus" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    product = json.loads(line)
    if product["category"] != "service":
        print(product["sku"])
PY

# calendar [POSTAL_CODE]: one GET of the courier's calendar (default: 00-950, the one measured);
# prints "STATUS STALE AGE_SECONDS" (STALE and AGE "-" when the answer has none).
calendar() {
  local path="$calendar_path"
  [[ -z "${1:-}" ]] || path="${calendar_path%=*}=$1"
  curl -s -w '\n%{http_code}' -H "Authorization: Bearer $token" "$shipping_url$path" |
    python3 -c 'import json, sys
*body, status = sys.stdin.read().split("\n")
try:
    doc = json.loads("\n".join(body))
    print(status, str(doc["stale"]).lower(), doc["age_seconds"])
except (ValueError, KeyError, TypeError):
    print(status, "-", "-")'
}
breaker_state() {
  curl -s "$shipping_url/metrics" |
    awk '/^circuit_breaker_state\{name="carrier"\}/ {print $2 + 0; found = 1} END {if (!found) print "?"}'
}

# Phase 0: a good calendar in the Shipping's cache, its age known. A previous run may have left
# the breaker open (it closes after its wait once the carrier answers), so ask until fresh.
sim_reset
fill_deadline=$((SECONDS + 30 + open_wait_ms / 1000))
until read -r status stale age <<< "$(calendar)" && [[ "$status" == 200 && "$stale" == false ]]; do
  ((SECONDS < fill_deadline)) ||
    { echo "the Shipping serves no fresh calendar (last: $status $stale)" >&2; exit 1; }
  sleep 1
done
stale_from=$(($(date +%s) - age + calendar_fresh_s + 1))

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
HTTP_PORT="$port" LOG_LEVEL=warn BENCH_BODY_BYTES=128 "$selftest" > "$work/selftest.log" 2>&1 &
selftest_pid=$!
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ping" || true)" == 200 ]]; do
  sleep 0.05
done

# cpu_ticks PID: user + system CPU time of the process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# redis_cpu: Redis's user + system CPU time so far, in seconds (its main thread and children).
redis_cpu() {
  "${redis[@]}" info cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {print s}'
}

# run NAME URL MODE PID: warm-up, measured run; prints "rps p50 p99 max non2xx socket-errors
# cpu redis-cpu": CPU time of process PID, and of Redis, during the measured run per request.
run() {
  local name="$1" url="$2" mode="$3" pid="$4" before after redis_before redis_after
  local script=(-s "$repo/bench/shipping/shipping_load.lua" "$url" -- "$mode" "$work/tokens")
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "${script[@]}" > /dev/null
  before="$(cpu_ticks "$pid")"
  redis_before="$(redis_cpu)"
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "${script[@]}" > "$work/$name.out"
  after="$(cpu_ticks "$pid")"
  redis_after="$(redis_cpu)"
  awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" \
      -v redis="$(awk -v a="$redis_before" -v b="$redis_after" 'BEGIN {print b - a}')" '
       /Requests\/sec:/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
       / requests in / {n=$1}
       $1=="Latency" && $2!="Distribution" {max=$4}
       /Non-2xx/ {bad=$NF}
       /Socket errors:/ {gsub(",", ""); errors=$4+$6+$8+$10}
       END {printf "%s %s %s %s %s %s %.0fus %.0fus\n", rps, p50, p99, max, bad+0, errors+0,
                   n ? ticks * 1e6 / hz / n : 0, n ? redis * 1e6 / n : 0}' "$work/$name.out"
}

# Waits until the Cart and the Shipping have published and consumed everything (outbox backlog
# and consumer lag at zero) and no Redis AOF rewrite runs, for 6 s in a row (the lag gauges are
# refreshed every 5 s); prints how long it took until that quiet streak began.
settle() {
  local started=$SECONDS deadline=$((SECONDS + ${SETTLE_TIMEOUT:-600})) quiet_since=-1 pending
  while ((SECONDS < deadline)); do
    pending="$({ curl -s "$cart_url/metrics"; curl -s "$shipping_url/metrics"; } | awk '
      /^outbox_backlog\{/ {n += $2}
      /^kafka_consumer_lag\{/ {n += $2}
      END {print n + 0}')"
    pending=$((pending + $("${redis[@]}" info persistence | tr -d '\r' |
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

# Phase 1.
settled_before="$(settle)"
setup_result="$(python3 "$repo/bench/shipping/setup_sessions.py" "$cart_url" "$shipping_url" \
  "$work/tokens" "$work/skus" "$work/sessions" 300)" ||
  { echo "set-up failed: $setup_result" >&2; exit 1; }
methods_cached="$("${redis[@]}" --scan --pattern 'shipping:methods:*' | wc -l)"
settled_after_setup="$(settle)"

# Peak VmRSS of the Shipping while the load runs, in kB.
( peak=0
  while sleep 0.2; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$shipping_pid/status" 2>/dev/null || echo 0)"
    ((rss > peak)) && peak=$rss && echo "$peak" > "$work/rss"
  done ) &
sampler_pid=$!

# Phases 2 and 3.
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(run trivial "http://127.0.0.1:$port" ping "$selftest_pid")"
read -r a_rps a_p50 a_p99 a_max a_bad a_err a_cpu a_redis <<< \
  "$(run available "$shipping_url" available "$shipping_pid")"

# Phase 4.
waited=$((stale_from - $(date +%s)))
((waited > 0)) && sleep "$waited" || waited=0
curl -s -o /dev/null -X POST "$sim_url/control/faults" -H 'Content-Type: application/json' \
  -d '{"error_status":503,"error_rate":1.0}'
faults_on=1
opening_calls=0
while [[ "$(breaker_state)" != 1 ]]; do
  read -r status stale age <<< "$(calendar)"
  opening_calls=$((opening_calls + 1))
  ((opening_calls <= 30)) || { echo "the breaker did not open after 30 calls" >&2; exit 1; }
  # Still fresh (the clock's rounding): served from the cache without asking the carrier.
  [[ "$status" == 200 && "$stale" == false ]] && sleep 1 && continue
  [[ "$status" == 200 && "$stale" == true ]] ||
    { echo "calendar with the carrier down: $status stale=$stale (expected 200 stale)" >&2; exit 1; }
done
sim_requests() {
  curl -s "$sim_url/control/state" | python3 -c 'import json, sys; print(json.load(sys.stdin)["counters"]["requests"])'
}
carrier_before="$(sim_requests)"
read -r c_rps c_p50 c_p99 c_max c_bad c_err c_cpu c_redis <<< \
  "$(run calendar "$shipping_url" calendar "$shipping_pid")"
carrier_calls="$(($(sim_requests) - carrier_before))"
state_after="$(breaker_state)"
stale_ok=0
for _ in $(seq 20); do
  read -r status stale age <<< "$(calendar)"
  [[ "$status" == 200 && "$stale" == true ]] && stale_ok=$((stale_ok + 1))
done
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=""
sim_reset
faults_on=0
# Leave the breaker closed: it half-opens after its wait and closes once its half-open probes
# (CARRIER_CB_HALF_OPEN_CALLS, 3) have succeeded. Only calendars that are not fresh in the cache
# ask the carrier, so after 00-950 (fetched again by the first probe) random other postal codes
# are asked (a few more calendars cached) until it is closed.
healed_at=$SECONDS
while [[ "$(breaker_state)" != 0 ]] && ((SECONDS - healed_at < 30 + open_wait_ms / 1000)); do
  calendar > /dev/null
  calendar "$(printf '%02d-%03d' $((RANDOM % 100)) $((RANDOM % 1000)))" > /dev/null
  sleep 0.5
done
healed="$((SECONDS - healed_at))s"
read -r status stale age <<< "$(calendar)"
[[ "$(breaker_state)" == 0 && "$stale" == false ]] ||
  healed="not within $((30 + open_wait_ms / 1000))s (breaker $(breaker_state), stale $stale)"

rss_mb="$(awk '{printf "%.1f", $1 / 1024}' "$work/rss" 2>/dev/null || echo "?")"
hwm_mb="$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$shipping_pid/status" 2>/dev/null || echo "?")"
echo "the Cart and the Shipping became idle ${settled_before}s after the start; set-up: $setup_result;" \
  "$methods_cached shipping:methods entries in Redis (earlier runs' too, for 10 minutes);" \
  "idle again ${settled_after_setup}s later"
echo "stale calendar: waited ${waited}s for the cached calendar to pass CALENDAR_FRESH_S=${calendar_fresh_s}s;" \
  "the breaker opened after $opening_calls calls; the carrier was asked $carrier_calls times during" \
  "warm-up and run (half-open probes every $((open_wait_ms / 1000))s: they fail, the breaker opens again);" \
  "breaker state after the run $state_after (1 open); $stale_ok/20 answers sampled after it 200 stale;" \
  "after the reset the breaker closed and the calendar was fresh again after $healed"
echo "wrk -t$wrk_threads -c$connections -d$duration --latency; $users users; load: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-23s %10s %9s %9s %9s %8s %7s %8s %9s\n' "$@"; }
row route "req/s" p50 p99 max non-2xx errors "cpu/req" "redis/req"
row "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_max" "$t_bad" "$t_err" "$t_cpu" "$t_redis"
row "GET /shipping/available" "$a_rps" "$a_p50" "$a_p99" "$a_max" "$a_bad" "$a_err" "$a_cpu" "$a_redis"
row "GET calendar (stale)" "$c_rps" "$c_p50" "$c_p99" "$c_max" "$c_bad" "$c_err" "$c_cpu" "$c_redis"
echo "(cpu/req: CPU time of the server, the self-test or the Shipping, per request; redis/req: Redis's)"
python3 - "$t_rps" "$a_rps" "$c_rps" "$c_p99" "$rss_mb" "$hwm_mb" <<'PY'
import sys
trivial, available, calendar, p99, rss, hwm = sys.argv[1:7]
def ms(text):
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    return float(text)
trivial, available, calendar = float(trivial), float(available), float(calendar)
print(f"GET /shipping/available / trivial: {available / trivial:.2f} (target >= 0.5)")
print(f"GET /shipping/calendar, breaker open, stale / trivial: {calendar / trivial:.2f}; "
      f"p99 {ms(p99):.2f} ms (target < 5)")
print(f"shipping peak RSS under load: {rss} MB (target < 50); VmHWM since its start {hwm} MB")
PY
if [[ "$a_bad" != 0 || "$c_bad" != 0 || "$a_err" != 0 || "$c_err" != 0 || "$stale_ok" != 20 ]]; then
  echo "errors: non-2xx or socket errors under load, or a sampled calendar not 200 stale" >&2
  exit 1
fi
