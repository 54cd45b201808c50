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
# Settling waits for the Cart's and the Shipping's (and, when it runs, the Services') outbox and
# consumer lag to reach zero, and no Redis AOF rewrite, for 6 s in a row, so background work does
# not land in the measured phases.
# At the end, once the Cart, the Shipping and the Services are idle, the users' carts, Shipping
# pointers, answers and sessions, and the Services' sessions of them are deleted
# (bench_forget_users, bench/lib.sh; cached methods expire by SHIPPING_METHODS_CACHE_S, 10
# minutes; calendars by CALENDAR_KEEP_S, a day).
# A run takes about 6 minutes, most of it waiting for the calendar to age (no wait if the
# Shipping runs with CALENDAR_FRESH_S=0; the bench reads the setting from its environment).
#
# Needs the dev stack (./dev bench starts it): cart_service, shipping_service and
# carrier_calendar_sim, the sample catalog.
# Env: SHIPPING_URL (http://127.0.0.1:8102), CART_URL (http://127.0.0.1:8101),
#      SERVICES_URL (http://127.0.0.1:8106, settled when it runs: it follows the Cart's events),
#      CARRIER_SIM_URL (http://127.0.0.1:8201), BENCH_USERS (2000), WRK_THREADS (2),
#      WRK_CONNECTIONS (64), WRK_DURATION (10s), WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
shipping_url="${SHIPPING_URL:-http://127.0.0.1:8102}"
cart_url="${CART_URL:-http://127.0.0.1:8101}"
services_url="${SERVICES_URL:-http://127.0.0.1:8106}"
sim_url="${CARRIER_SIM_URL:-http://127.0.0.1:${CARRIER_SIM_PORT:-8201}}"
users="${BENCH_USERS:-2000}"
calendar_path="/shipping/calendar?method=courier&postal_code=00-950"
lua="$repo/bench/shipping/shipping_load.lua"

bench_require_tools wrk curl python3 redis-cli
bench_require_built
bench_require_ready "$shipping_url/readyz" "$cart_url/readyz" "$sim_url/healthz"
shipping_pid="$(bench_service_pid shipping services/shipping/shipping_service)"
metrics=("$cart_url/metrics" "$shipping_url/metrics")
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$services_url/readyz" || true)" == 200 ]] &&
  metrics+=("$services_url/metrics")
# The service's own settings where they matter to the phases (its environment, else the default).
service_env() { bench_service_env "$shipping_pid" "$@"; }
calendar_fresh_s="$(service_env CALENDAR_FRESH_S 300)"
open_wait_ms="$(service_env CARRIER_CB_OPEN_WAIT_MS 10000)"

bench_workdir shipping_bench
work="$BENCH_WORK"
faults_on=0
run_id="$RANDOM"
prefix="bench-ship-$run_id-"

sim_reset() { curl -s -o /dev/null -X POST "$sim_url/control/reset"; }
cleanup() {
  ((faults_on)) && sim_reset
  bench_stop_helpers
  if [[ -s "$work/skus" ]]; then
    SETTLE_TIMEOUT=120 bench_settle "${metrics[@]}" > /dev/null
    bench_forget_users "$prefix" "$users" "$work/skus"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bench_tokens "$prefix" "$users" "$work/tokens"
token="$(head -1 "$work/tokens")"
bench_catalog_skus skus > "$work/skus"

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

bench_start_selftest 128

# run NAME URL MODE PID: warm-up, measured run; prints "rps p50 p99 max non2xx socket-errors
# cpu redis-cpu": CPU time of process PID, and of Redis, during the measured run per request.
run() { bench_wrk "$1" "$2" "$4" "$lua" "$3" "$work/tokens"; }

# Settling (bench_settle) waits until the Cart and the Shipping (and the Services, following the
# Cart's events) have published and consumed everything (outbox backlog and consumer lag at zero)
# and no Redis AOF rewrite runs, for 6 s in a row (the lag gauges are refreshed every 5 s).
settle() { bench_settle "${metrics[@]}"; }

# Phase 1.
settled_before="$(settle)"
setup_result="$(python3 "$repo/bench/shipping/setup_sessions.py" "$cart_url" "$shipping_url" \
  "$work/tokens" "$work/skus" "$work/sessions" 300)" ||
  { echo "set-up failed: $setup_result" >&2; exit 1; }
methods_cached="$("${bench_redis[@]}" --scan --pattern 'shipping:methods:*' | wc -l)"
settled_after_setup="$(settle)"

# Peak VmRSS of the Shipping while the load runs, in kB.
bench_rss_start "$shipping_pid" "$work/rss"

# Phases 2 and 3.
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(run trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" ping "$BENCH_SELFTEST_PID")"
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
bench_rss_stop
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
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency; $users users; load: $(cut -d' ' -f1-3 /proc/loadavg)"
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
