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
# and enrich the burst). Settling waits for the outbox and the consumer lag to reach zero (the
# Cart's, and those of the Shipping and the Services when they run: they follow the Cart's
# events), so one phase's background work does not land in the next one's figures. At the end,
# once those followers are idle, the users' data is deleted: carts, and their Shipping and
# Services sessions (bench_forget_users, bench/lib.sh).
#
# Needs the dev stack (./dev bench starts it): cart_service on CART_URL with the sample catalog.
# Env: CART_URL (http://127.0.0.1:8101), SHIPPING_URL (http://127.0.0.1:8102), SERVICES_URL
#      (http://127.0.0.1:8106), BENCH_USERS (20000 for each of GET and POST),
#      BENCH_CART_LINES (5: a typical cart), WRK_THREADS (2), WRK_CONNECTIONS (64),
#      WRK_DURATION (10s), WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
cart_url="${CART_URL:-http://127.0.0.1:8101}"
shipping_url="${SHIPPING_URL:-http://127.0.0.1:8102}"
services_url="${SERVICES_URL:-http://127.0.0.1:8106}"
users="${BENCH_USERS:-20000}"
cart_lines="${BENCH_CART_LINES:-5}"
lua="$repo/bench/cart/cart_load.lua"

bench_require_tools wrk curl python3 redis-cli
bench_require_built
bench_require_ready "$cart_url/readyz"
cart_pid="$(bench_service_pid cart services/cart/cart_service)"
# The services that follow the Cart's events (when they run): their catch-up is background work
# too, and the users' sessions there are deleted with their carts.
followers=()
for url in "$shipping_url" "$services_url"; do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" == 200 ]] &&
    followers+=("$url/metrics")
done

bench_workdir cart_bench
work="$BENCH_WORK"
run_id="$RANDOM"
post_prefix="bench-post-$run_id-"
get_prefix="bench-get-$run_id-"
# Deletes what the run wrote for its users (carts, and the Shipping's and the Services' sessions
# of them), once every follower has consumed the run's events, so that repeated runs do not grow
# the dev Redis (and its AOF rewrites) without end.
cleanup() {
  bench_stop_helpers
  if [[ -s "$work/skus" ]]; then
    SETTLE_TIMEOUT=300 bench_settle "$cart_url/metrics" "${followers[@]}" > /dev/null
    bench_forget_users "$post_prefix" "$users" "$work/skus"
    bench_forget_users "$get_prefix" "$users" "$work/skus"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bench_tokens "$post_prefix" "$users" "$work/post_tokens"
bench_tokens "$get_prefix" "$users" "$work/get_tokens"
bench_catalog_skus skus > "$work/skus"

bench_start_selftest 128
# Peak VmRSS of the cart while the load runs, in kB.
bench_rss_start "$cart_pid" "$work/rss"

# run NAME URL PID MODE TOKENS SKUS: warm-up, measured run; prints "rps p50 p99 non2xx".
run() {
  local rps p50 p99 bad
  read -r rps p50 p99 _ bad _ <<< "$(bench_wrk "$1" "$2" "$3" "$lua" "${@:4}")"
  echo "$rps $p50 $p99 $bad"
}

# Settling (bench_settle) waits until the cart has published everything and enriched every added
# line, and the services following its events have consumed them: outbox backlogs and consumer
# lags at zero, and no Redis AOF rewrite running, for 6 s in a row; the figure after the POST
# burst is the Cart's own.
settle() { bench_settle "$cart_url/metrics" "${followers[@]}"; }

settled_before="$(settle)"
fill_result="$(python3 "$repo/bench/cart/fill_carts.py" "$cart_url" "$work/get_tokens" "$work/skus" \
  "$cart_lines" || true)"
settled_after_fill="$(settle)"
lines_per_cart="$(shuf -n 50 "$work/get_tokens" | while read -r token; do
    curl -s "$cart_url/cart" -H "Authorization: Bearer $token"; echo
  done | python3 -c 'import json, sys
counts = [json.loads(line)["line_count"] for line in sys.stdin if line.strip()]
print(f"{sum(counts) / len(counts):.1f}")')"
read -r t_rps t_p50 t_p99 t_bad <<< \
  "$(run trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" ping "$work/get_tokens" "$work/skus")"
read -r g_rps g_p50 g_p99 g_bad <<< "$(run get "$cart_url" "$cart_pid" get "$work/get_tokens" "$work/skus")"
read -r p_rps p_p50 p_p99 p_bad <<< "$(run post "$cart_url" "$cart_pid" post "$work/post_tokens" "$work/skus")"
settled_after_post="$(bench_settle "$cart_url/metrics")"
bench_rss_stop
rss_mb="$(awk '{printf "%.1f", $1 / 1024}' "$work/rss" 2>/dev/null || echo "?")"
echo "the cart became idle ${settled_before}s after the start; the fill (${cart_lines} adds for each of" \
  "$users users: $fill_result) settled in ${settled_after_fill}s; GET ran over carts of $lines_per_cart lines on average (50 sampled);" \
  "after the POST burst the cart needed ${settled_after_post}s more to publish and enrich everything"
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency; $users users; load: $(cut -d' ' -f1-3 /proc/loadavg)"
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
