#!/usr/bin/env bash
# Benchmarks the Services (extra services, port 8106): GET /services/available for cached carts of
# 1, 10 and 50 product lines, 64 connections, against the HTTP kit's trivial route
# (bench/http_selftest) measured in the same run with the same wrk settings and the same request
# script (bench/services/services_load.lua: each request carries one of the users' tokens), so
# that the ratio compares services, not load-generator work; and how long the Services take to
# answer a CartItemAdded with a ServiceAvailabilityCalculated, beside Kafka's own
# produce-to-consume time on the same broker in the same run. Prints req/s, p50/p99, max, the
# server's and Redis's CPU time per request, the answer's size, the ratios and the Services' peak
# resident memory (VmRSS polled every 0.2 s) while they follow the set-up's carts and under the
# HTTP load.
# Targets (2 cores): available for a cached cart >= 0.5x trivial; RSS < 50 MB.
#
# What it measures: the cached read path of GET /services/available (the answer kept in Redis
# under services:available:{cart_hash}, field "-" while no delivery method is chosen, written by
# the first GET after the cart changed), over carts with products that have item services
# (washing machines, TVs, furniture, fridges, dishwashers) under the rules in force
# (services/services/config/services_rules.yaml); and the event path from the Cart's
# CartItemAdded (cart-events) to the Services' ServiceAvailabilityCalculated (services-events).
# The answer grows with the cart (every item service, available or not with the reason, for every
# product line: tens of KB for 50 lines), so each size is also set beside the trivial route
# serving a body of the same size: that ratio is the Services' own work, the other one includes
# the bytes.
#
# Phases:
#  1. Set-up (unmeasured): BENCH_USERS_1/10/50 users get carts of 1, 10 and 50 product lines
#     through the Cart's API (bench/services/setup_carts.py: a 1-line cart holds a product with
#     item services; a longer one one of each such category and random other products, quantity
#     1-3); the Services follow the Cart's events into sessions; each user's GET
#     /services/available is asked until it names the session with the cart's hash (which caches
#     the answer). Then settle (below). 20 users of each size are checked to have the answer
#     cached, and one answer's size is taken.
#  2. The trivial route (128-byte body).
#  3. For each size: GET /services/available over its users, then the trivial route with a body
#     of the size of that answer.
#  4. Settle, then bench/services/event_latency.py: LATENCY_SAMPLES adds, one at a time, by
#     LATENCY_USERS users (carts of up to LATENCY_SAMPLES/LATENCY_USERS lines); one Kafka consumer
#     sees each CartItemAdded, then the ServiceAvailabilityCalculated for that cart version, and
#     after each add a message of its own produced with the kit's linger.ms to a probe topic
#     (created for the run and deleted). Services hop: CartItemAdded seen -> ServiceAvailability-
#     Calculated seen (one Kafka hop, the Services' work, their outbox relay); Kafka hop: produce()
#     -> seen. p50/p99 of both and the ratio; the services hop is also split by the event's own
#     times: until the Services evaluated (its occurred_at), in their outbox until the relay
#     produced it (the Kafka timestamp), Kafka's delivery.
# Settling waits for the Cart's, the Shipping's and the Services' outbox and consumer lag to reach
# zero, and no Redis AOF rewrite, for 6 s in a row, so background work does not land in the
# measured phases. At the end (also after a failure) it settles again and deletes what the dev
# stack keeps for the bench users: carts (view, counter, stream, holder entries), Shipping pointers,
# answers and sessions, Services pointers, sessions and every answer cached for their carts
# (bench_forget_users in bench/lib.sh). Cached Shipping methods expire on their own.
# A run takes about 4 minutes.
#
# Needs the dev stack (./dev bench starts it): cart_service, services_service (shipping_service
# is settled when it runs), the sample catalog, Kafka, and confluent-kafka in .local/venv
# (./dev install).
# Env: SERVICES_URL (http://127.0.0.1:8106), CART_URL (http://127.0.0.1:8101),
#      SHIPPING_URL (http://127.0.0.1:8102), KAFKA_BROKERS (127.0.0.1:9092),
#      BENCH_USERS_1 (1000), BENCH_USERS_10 (200), BENCH_USERS_50 (50), LATENCY_SAMPLES (300),
#      LATENCY_USERS (30), WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s),
#      WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
services_url="${SERVICES_URL:-http://127.0.0.1:8106}"
cart_url="${CART_URL:-http://127.0.0.1:8101}"
shipping_url="${SHIPPING_URL:-http://127.0.0.1:8102}"
brokers="${KAFKA_BROKERS:-127.0.0.1:9092}"
sizes=(1 10 50)
declare -A users=([1]="${BENCH_USERS_1:-1000}" [10]="${BENCH_USERS_10:-200}" [50]="${BENCH_USERS_50:-50}")
latency_samples="${LATENCY_SAMPLES:-300}"
latency_users="${LATENCY_USERS:-30}"
venv_python="$repo/.local/venv/bin/python"
lua="$repo/bench/services/services_load.lua"

bench_require_tools wrk curl python3 redis-cli
bench_require_built
bench_require_ready "$services_url/readyz" "$cart_url/readyz"
"$venv_python" -c 'import confluent_kafka' 2>/dev/null ||
  { echo "confluent-kafka missing in .local/venv (./dev install)" >&2; exit 2; }
services_pid="$(bench_service_pid services services/services/services_service)"
metrics=("$cart_url/metrics" "$services_url/metrics")
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$shipping_url/readyz" || true)" == 200 ]] &&
  metrics+=("$shipping_url/metrics")
linger_ms="$(bench_service_env "$services_pid" KAFKA_LINGER_MS 5)"
fetch_wait_ms="$(bench_service_env "$services_pid" KAFKA_FETCH_WAIT_MAX_MS 100)"

bench_workdir services_bench
work="$BENCH_WORK"
prefix="bench-svc-$RANDOM-"
prefixes=()
cleanup() {
  bench_stop_helpers
  if ((${#prefixes[@]})); then
    SETTLE_TIMEOUT=120 bench_settle "${metrics[@]}" > /dev/null
    local p
    for p in "${prefixes[@]}"; do
      bench_forget_users "$p" "$(wc -l < "$work/tokens-${p#"$prefix"}")" "$work/skus"
    done
    # Answers the set-up's first calls cached for carts still being followed.
    [[ -s "$work/hashes" ]] && sed 's/.*/UNLINK services:available:{&}/' "$work/hashes" |
      "${bench_redis[@]}" > /dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

bench_catalog_skus categories > "$work/skus"
for size in "${sizes[@]}"; do
  bench_tokens "${prefix}${size}-" "${users[$size]}" "$work/tokens-${size}-"
done
bench_tokens "${prefix}lat-" "$latency_users" "$work/tokens-lat-"

# Phase 1.
settled_before="$(bench_settle "${metrics[@]}")"
bench_rss_start "$services_pid" "$work/rss-setup"
setup_results=()
for size in "${sizes[@]}"; do
  prefixes+=("${prefix}${size}-")
  setup_results+=("$(python3 "$repo/bench/services/setup_carts.py" "$cart_url" "$services_url" \
    "$work/tokens-${size}-" "$work/skus" "$size" "$work/hashes" 300)") ||
    { echo "set-up of the $size-line carts failed: ${setup_results[*]: -1}" >&2; exit 1; }
done
settled_after_setup="$(bench_settle "${metrics[@]}")"
bench_rss_stop

# How many of (up to) 20 users of each size have their answer cached; the answer's size in bytes.
declare -A cached bytes
for size in "${sizes[@]}"; do
  n=0 sampled=0
  for token in $(head -20 "$work/tokens-${size}-"); do
    sampled=$((sampled + 1))
    hash="$(curl -s -H "Authorization: Bearer $token" "$cart_url/cart" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["cart_hash"])')"
    [[ "$("${bench_redis[@]}" hexists "services:available:{$hash}" -)" == 1 ]] && n=$((n + 1))
  done
  cached[$size]="$n/$sampled"
  bytes[$size]="$(curl -s -o /dev/null -w '%{size_download}' \
    -H "Authorization: Bearer $(head -1 "$work/tokens-${size}-")" "$services_url/services/available")"
done

# Phases 2 and 3.
bench_rss_start "$services_pid" "$work/rss-load"
bench_start_selftest 128
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(bench_wrk trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/tokens-1-")"
declare -A rows ratio ratio_sized
bad=0
for size in "${sizes[@]}"; do
  read -r a_rps a_p50 a_p99 a_max a_bad a_err a_cpu a_redis <<< \
    "$(bench_wrk "available-$size" "$services_url" "$services_pid" "$lua" \
      available "$work/tokens-${size}-")"
  bench_start_selftest "${bytes[$size]}"
  read -r s_rps s_p50 s_p99 s_max s_bad s_err s_cpu s_redis <<< \
    "$(bench_wrk "trivial-$size" "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" \
      "$lua" ping "$work/tokens-${size}-")"
  kill "$BENCH_SELFTEST_PID" 2>/dev/null || true
  wait "$BENCH_SELFTEST_PID" 2>/dev/null || true
  rows[$size]="$a_rps $a_p50 $a_p99 $a_max $a_bad $a_err $a_cpu $a_redis ${bytes[$size]}"
  rows[$size-trivial]="$s_rps $s_p50 $s_p99 $s_max $s_bad $s_err $s_cpu $s_redis ${bytes[$size]}"
  ratio[$size]="$(awk -v a="$a_rps" -v t="$t_rps" 'BEGIN {printf "%.2f", a / t}')"
  ratio_sized[$size]="$(awk -v a="$a_rps" -v t="$s_rps" 'BEGIN {printf "%.2f", a / t}')"
  [[ "$a_bad" != 0 || "$a_err" != 0 ]] && bad=1
done
bench_rss_stop

# Phase 4.
settled_before_latency="$(bench_settle "${metrics[@]}")"
prefixes+=("${prefix}lat-")
latency_status=0
"$venv_python" "$repo/bench/services/event_latency.py" "$brokers" "$cart_url" \
  "$work/tokens-lat-" "$work/skus" "$latency_samples" "$linger_ms" "$fetch_wait_ms" \
  > "$work/latency.out" 2>&1 || latency_status=$?

rss_mb() { awk '{printf "%.1f", $1 / 1024}' "$1" 2>/dev/null || echo "?"; }
hwm_mb="$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$services_pid/status" 2>/dev/null || echo "?")"
echo "the Cart and the Services became idle ${settled_before}s after the start; set-up:"
for i in "${!sizes[@]}"; do echo "  ${setup_results[$i]}"; done
echo "idle again ${settled_after_setup}s later; answers cached (users sampled):" \
  "$(for size in "${sizes[@]}"; do printf '%s lines %s; ' "$size" "${cached[$size]}"; done)"
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency; load: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-28s %10s %9s %9s %9s %8s %7s %8s %9s %8s\n' "$@"; }
row route "req/s" p50 p99 max non-2xx errors "cpu/req" "redis/req" bytes
row "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_max" "$t_bad" "$t_err" "$t_cpu" "$t_redis" 128
for size in "${sizes[@]}"; do
  # shellcheck disable=SC2086
  row "GET available, $size lines" ${rows[$size]}
  # shellcheck disable=SC2086
  row "  trivial, same body size" ${rows[$size-trivial]}
done
echo "(cpu/req: CPU time of the server, the self-test or the Services, per request; redis/req: Redis's)"
for size in "${sizes[@]}"; do
  echo "GET /services/available, cached cart of $size lines / trivial: ${ratio[$size]} (target >= 0.5);" \
    "/ trivial with the same body: ${ratio_sized[$size]}"
done
echo "CartItemAdded -> ServiceAvailabilityCalculated (settled ${settled_before_latency}s before):"
cat "$work/latency.out"
echo "services peak RSS: $(rss_mb "$work/rss-load") MB under the HTTP load (target < 50)," \
  "$(rss_mb "$work/rss-setup") MB while following the set-up's carts; VmHWM since its start $hwm_mb MB"
if ((bad || latency_status)); then
  echo "errors: non-2xx or socket errors under load, or the event latency probe failed" >&2
  exit 1
fi
