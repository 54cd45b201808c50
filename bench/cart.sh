#!/usr/bin/env bash
# Benchmarks the Cart: GET /cart and POST /cart/items over many users, 64 connections, against
# the HTTP kit's trivial route (bench/http_selftest) measured in the same run with the same wrk
# settings and the same request script (bench/cart/cart_load.lua: each request carries one of
# the users' tokens), so that the ratio compares services, not load-generator work. Prints
# req/s, p50/p99, the ratios and the cart's peak resident memory under load.
# Targets (2 cores): GET >= 0.5x trivial; POST >= 10000 req/s with p99 < 10 ms; RSS < 50 MB.
#
# Phases: fill (unmeasured: every GET user gets BENCH_CART_LINES adds), settle, trivial route,
# GET over the filled carts, POST over fresh users, settle (how long the cart needed to publish
# and enrich the burst). Settling waits for the outbox and the consumer lag to reach zero, so one
# phase's background work does not land in the next one's figures. The users' data is deleted
# at the end.
#
# Needs the dev stack (./dev bench starts it): cart_service on CART_URL with the sample catalog.
# Env: CART_URL (http://127.0.0.1:8101), BENCH_USERS (20000 for each of GET and POST),
#      BENCH_CART_LINES (5: a typical cart), WRK_THREADS (2), WRK_CONNECTIONS (64),
#      WRK_DURATION (10s), WRK_WARMUP (2s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cart_url="${CART_URL:-http://127.0.0.1:8101}"
users="${BENCH_USERS:-20000}"
cart_lines="${BENCH_CART_LINES:-5}"
wrk_threads="${WRK_THREADS:-2}"
connections="${WRK_CONNECTIONS:-64}"
duration="${WRK_DURATION:-10s}"
warmup="${WRK_WARMUP:-2s}"
selftest="$repo/build/bench/http_selftest/http_selftest"
dev_token="$repo/build/tools/dev_token/dev_token"
cart_pid_file="$repo/.local/run/cart.pid"

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -x "$selftest" && -x "$dev_token" ]] || { echo "build first (./dev build)" >&2; exit 2; }
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$cart_url/readyz" || true)" == 200 ]] ||
  { echo "cart is not ready at $cart_url (run ./dev up)" >&2; exit 2; }
cart_pid="$(cat "$cart_pid_file" 2>/dev/null || pgrep -f services/cart/cart_service | head -1)"

work="$(mktemp -d /tmp/cart_bench.XXXXXX)"
selftest_pid=""
sampler_pid=""
run_id="$RANDOM"
post_prefix="bench-post-$run_id-"
get_prefix="bench-get-$run_id-"
# Deletes what the run wrote for its users (views, counters, streams, holder entries), so that
# repeated runs do not grow the dev Redis (and its AOF rewrites) without end.
forget_bench_users() {
  python3 - "$post_prefix,$get_prefix" "$users" "$work/skus" <<'PY' | redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6390}" --pipe > /dev/null
import sys
prefixes, count, skus = sys.argv[1].split(","), int(sys.argv[2]), open(sys.argv[3]).read().split()
def command(*args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        out.append(f"${len(a.encode())}\r\n{a}\r\n")
    sys.stdout.write("".join(out))
users = [f"{prefix}{i}" for prefix in prefixes for i in range(count)]
for u in users:
    command("UNLINK", f"cart:view:{{{u}}}", f"cart:counter:{{{u}}}", f"cart:events:{{{u}}}")
for sku in skus:
    for i in range(0, len(users), 1000):
        command("SREM", f"cart:holders:{{{sku}}}", *users[i:i + 1000])
PY
}
cleanup() {
  [[ -s "$work/skus" ]] && forget_bench_users
  [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2>/dev/null
  [[ -n "$selftest_pid" ]] && kill "$selftest_pid" 2>/dev/null && wait "$selftest_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$dev_token" --many "$post_prefix" "$users" > "$work/post_tokens"
"$dev_token" --many "$get_prefix" "$users" > "$work/get_tokens"
python3 - "$repo/tools/catalog/sample_catalog.jsonl" > "$work/skus" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    product = json.loads(line)
    if product["category"] != "service":
        print(product["sku"])
PY

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
HTTP_PORT="$port" LOG_LEVEL=warn BENCH_BODY_BYTES=128 "$selftest" > "$work/selftest.log" 2>&1 &
selftest_pid=$!
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ping" || true)" == 200 ]]; do
  sleep 0.05
done

# Peak VmRSS of the cart while the load runs, in kB.
( peak=0
  while sleep 0.2; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$cart_pid/status" 2>/dev/null || echo 0)"
    ((rss > peak)) && peak=$rss && echo "$peak" > "$work/rss"
  done ) &
sampler_pid=$!

# run NAME URL MODE TOKENS SKUS: warm-up, measured run; prints "rps p50 p99 non2xx".
run() {
  local name="$1" url="$2"; shift 2
  local script=(-s "$repo/bench/cart/cart_load.lua" "$url" -- "$@")
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "${script[@]}" > /dev/null
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "${script[@]}" > "$work/$name.out"
  awk '/Requests\/sec:/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
       /Non-2xx/ {bad=$NF} END {printf "%s %s %s %s\n", rps, p50, p99, bad+0}' "$work/$name.out"
}

# Waits until the cart has published everything and enriched every added line: the outbox
# backlog and the consumer lag at zero, and no Redis AOF rewrite running, for 6 s in a row (the
# lag gauge is refreshed every 5 s), so that one phase's background work does not land in the
# next phase's figures; prints how long it took until that quiet streak began.
settle() {
  local started=$SECONDS deadline=$((SECONDS + ${SETTLE_TIMEOUT:-300})) quiet_since=-1
  while ((SECONDS < deadline)); do
    local pending
    pending="$(curl -s "$cart_url/metrics" | awk '
      /^outbox_backlog\{stream="outbox:cart"\}/ {n += $2}
      /^kafka_consumer_lag\{topic="cart-events"/ {n += $2}
      END {print n + 0}')"
    # A Redis append-only-file rewrite set off by the previous phase is its background work too.
    pending=$((pending + $(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "${REDIS_PORT:-6390}" \
      info persistence | tr -d '\r' | awk -F: '/^aof_rewrite_in_progress:/ {print $2 + 0}')))
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

settled_before="$(settle)"
fill_result="$(python3 "$repo/bench/cart/fill_carts.py" "$cart_url" "$work/get_tokens" "$work/skus" \
  "$cart_lines" || true)"
settled_after_fill="$(settle)"
lines_per_cart="$(shuf -n 50 "$work/get_tokens" | while read -r token; do
    curl -s "$cart_url/cart" -H "Authorization: Bearer $token"; echo
  done | python3 -c 'import json, sys
counts = [json.loads(line)["line_count"] for line in sys.stdin if line.strip()]
print(f"{sum(counts) / len(counts):.1f}")')"
read -r t_rps t_p50 t_p99 t_bad <<< "$(run trivial "http://127.0.0.1:$port" ping "$work/get_tokens" "$work/skus")"
read -r g_rps g_p50 g_p99 g_bad <<< "$(run get "$cart_url" get "$work/get_tokens" "$work/skus")"
read -r p_rps p_p50 p_p99 p_bad <<< "$(run post "$cart_url" post "$work/post_tokens" "$work/skus")"
settled_after_post="$(settle)"
rss_mb="$(awk '{printf "%.1f", $1 / 1024}' "$work/rss" 2>/dev/null || echo "?")"
echo "the cart became idle ${settled_before}s after the start; the fill (${cart_lines} adds for each of" \
  "$users users: $fill_result) settled in ${settled_after_fill}s; GET ran over carts of $lines_per_cart lines on average (50 sampled);" \
  "after the POST burst the cart needed ${settled_after_post}s more to publish and enrich everything"
echo "wrk -t$wrk_threads -c$connections -d$duration --latency; $users users; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-18s %10s %9s %9s %8s\n' route "req/s" p50 p99 non-2xx
printf '%-18s %10s %9s %9s %8s\n' "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_bad"
printf '%-18s %10s %9s %9s %8s\n' "POST /cart/items" "$p_rps" "$p_p50" "$p_p99" "$p_bad"
printf '%-18s %10s %9s %9s %8s\n' "GET /cart" "$g_rps" "$g_p50" "$g_p99" "$g_bad"
python3 - "$t_rps" "$p_rps" "$g_rps" "$p_p99" "$rss_mb" <<'PY'
import sys
trivial, post, get, p99, rss = sys.argv[1:6]
def ms(text):
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    return float(text)
trivial, post, get = float(trivial), float(post), float(get)
print(f"GET /cart / trivial: {get / trivial:.2f} (target >= 0.5)")
print(f"POST /cart/items / trivial: {post / trivial:.2f}; {post:.0f} req/s (target >= 10000), "
      f"p99 {ms(p99):.2f} ms (target < 10)")
print(f"cart peak RSS under load: {rss} MB (target < 50)")
PY
