#!/usr/bin/env bash
# Benchmarks the Promotion (promotions and discount codes, port 8105), in two parts.
#
#  1. The recompute every cart change pays, on one core, with no I/O
#     (bench/promotion/recompute.cpp, build/bench/promotion/promotion_recompute_bench): the
#     engine's evaluate() of carts of 1, 20 and 100 lines against 200 promotions of every kind,
#     p50/p99 per size, beside copying the cart and evaluating one rule, measured in the same run.
#     Target: p99 under 1 ms for 20 lines.
#  2. GET /promotions/available over many users' carts, 64 connections, against the HTTP kit's
#     trivial route (bench/http_selftest) measured in the same run with the same wrk settings
#     and the same request script (bench/promotion/promotion_load.lua: each request carries one
#     of the users' tokens), so that the ratio compares services, not load-generator work. Prints
#     req/s, p50/p99, max, the server's and Redis's CPU time per request, the answer's size, the
#     ratios and the Promotion's peak resident memory (VmRSS polled every 0.2 s) while it follows
#     the set-up's carts and under the HTTP load. The carts are cached: the service wrote each
#     user's answer when it followed the cart, so a GET is one Redis read.
#     Targets (2 cores): available >= 0.5x trivial; RSS < 50 MB.
#
# Self-contained: it needs only Redis and Kafka, which it starts with scripts/infra.sh when they
# are not up (BENCH_PROFILE: the profile of scripts/env.sh, by default $CHECKOUT_PROFILE, which
# ./dev bench sets to dev, else test; it never stops them), and a Promotion: PROMOTION_URL if
# given, else in the dev profile the dev stack's when it answers on 8105, else its own instance
# of build/services/promotion/promotion_service on a free port with the shipped rules
# (services/promotion/config/promotion_rules.yaml; consumer groups prefixed `bench-`, so a later
# run does not read cart-events from the start again), stopped at the end.
#
# Phases of part 2:
#  1. Set-up (unmeasured): BENCH_USERS users each get a cart of 3 lines (two TVs, a Samsung
#     soundbar, a laptop: several promotions of the shipped rules apply) by CartItemAdded events
#     published straight to Kafka cart-events (bench/promotion/publish_carts.py, from
#     contracts/events/examples/CartItemAdded.json with the user's own session, lines and cart
#     hashes; no Cart involved); each user's GET /promotions/available is asked until it shows
#     the last event's cart_hash. Then settle (below).
#  2. The trivial route (128-byte body).
#  3. GET /promotions/available over the users, then the trivial route with a body of the size of
#     that answer (that ratio is the Promotion's own work, the other one includes the bytes).
# Settling waits until the Promotion's (and, in the dev profile, every running dev service's)
# outbox and consumer lag are zero, and no Redis AOF rewrite runs, for 6 s in a row, so
# background work does not land in the measured phases. At the end (also after a failure) it
# settles again and deletes what the stack keeps for the bench users: the Promotion's pointers,
# answers, sessions, applied promotions and cached answers, the Warranty's pointers and sessions
# (in the dev profile the Warranty follows the same events), and what bench_forget_users
# (bench/lib.sh) deletes for the other services that followed them.
# A run takes about a minute and a half, plus the set-up.
#
# Needs: wrk, curl, redis-cli, python3, the build (promotion_service,
# promotion_recompute_bench, http_selftest, dev_token), confluent-kafka in .local/venv
# (./dev install).
# Env: BENCH_PROFILE, PROMOTION_URL, PROMOTION_BIN (build/services/promotion/promotion_service),
#      RECOMPUTE_SECONDS (1.0 per case; 0 skips part 1), BENCH_USERS (1000), SETUP_TIMEOUT
#      (300 s), WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s), WRK_WARMUP (2s),
#      SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
profile="${BENCH_PROFILE:-${CHECKOUT_PROFILE:-test}}"
# The profile's Redis, Kafka and JWT settings first: bench/lib.sh reads REDIS_PORT.
# shellcheck source=scripts/env.sh
source "$repo/scripts/env.sh" "$profile"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
users="${BENCH_USERS:-1000}"
promotion_bin="${PROMOTION_BIN:-$repo/build/services/promotion/promotion_service}"
recompute_bin="$repo/build/bench/promotion/promotion_recompute_bench"
recompute_seconds="${RECOMPUTE_SECONDS:-1.0}"
venv_python="$repo/.local/venv/bin/python"
lua="$repo/bench/promotion/promotion_load.lua"

bench_require_tools wrk curl python3 redis-cli
bench_require_built
[[ -x "$recompute_bin" ]] || { echo "no $recompute_bin: build it (./dev build)" >&2; exit 2; }
"$venv_python" -c 'import confluent_kafka' 2>/dev/null ||
  { echo "confluent-kafka missing in .local/venv (./dev install)" >&2; exit 2; }

# Part 1: no services involved.
if [[ "$recompute_seconds" != 0 ]]; then
  echo "== recompute (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  "$recompute_bin" "$recompute_seconds"
  echo
fi

"$repo/scripts/infra.sh" start "$profile" redis kafka
bench_workdir promotion_bench
work="$BENCH_WORK"
prefix="bench-promo-$RANDOM-"
own_pid=""
published=0
metrics=()
cleanup() {
  local status=$?
  bench_stop_helpers
  if ((published)); then
    SETTLE_TIMEOUT=120 bench_settle "${metrics[@]}" > /dev/null
    # The Promotion's pointer (user -> session), answer, session, applied promotions and the
    # answers cached under the session's cart hashes (bench-<run>-<n>-<version>, versions 1..3);
    # the Warranty's pointer and session.
    "${bench_redis[@]}" eval "
      for i = 0, tonumber(ARGV[2]) - 1 do
        local u = ARGV[1] .. i
        local sid = redis.call('HGET', 'promotions:user:{' .. u .. '}', 'session_id')
        if sid then
          local cart = redis.call('HGET', 'promotions:session:{' .. sid .. '}', 'cart')
          if cart then
            local ok, doc = pcall(cjson.decode, cart)
            if ok and type(doc) == 'table' and type(doc.cart_hash) == 'string' then
              local base = string.match(doc.cart_hash, '^(bench%-.+)%-%d+$')
              if base then
                for v = 1, 3 do redis.call('UNLINK', 'promotions:available:{' .. base .. '-' .. v .. '}') end
              end
            end
          end
          redis.call('UNLINK', 'promotions:session:{' .. sid .. '}', 'promotions:applied:{' .. sid .. '}')
        end
        redis.call('UNLINK', 'promotions:user:{' .. u .. '}', 'promotions:answer:{' .. u .. '}')
        sid = redis.call('HGET', 'warranty:user:{' .. u .. '}', 'session_id')
        if sid then redis.call('UNLINK', 'warranty:session:{' .. sid .. '}') end
        redis.call('UNLINK', 'warranty:user:{' .. u .. '}')
      end" 0 "$prefix" "$users" > /dev/null || true
    bench_forget_users "$prefix" "$users" /dev/null
  fi
  if [[ -n "$own_pid" ]]; then
    kill "$own_pid" 2>/dev/null && wait "$own_pid" 2>/dev/null
    ((status)) && echo "its log:" >&2 && tail -20 "$work/promotion_service.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The Promotion to measure.
bench_pick_service promotion 8105 "$promotion_bin" "$work/promotion_service.log"
promotion_url="$service_url"
promotion_pid="$service_pid"
metrics=("$promotion_url/metrics")
if [[ "$profile" == dev ]]; then
  for p in 8101 8102 8103 8104 8106 8107; do
    [[ "http://127.0.0.1:$p" == "$promotion_url" ]] && continue
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz" || true)" == 200 ]] &&
      metrics+=("http://127.0.0.1:$p/metrics")
  done
fi

bench_tokens "$prefix" "$users" "$work/tokens"

# Phase 1.
settled_before="$(bench_settle "${metrics[@]}")"
bench_rss_start "$promotion_pid" "$work/rss-setup"
published=1
setup_status=0
setup_result="$("$venv_python" "$repo/bench/promotion/publish_carts.py" "$KAFKA_BROKERS" \
  "$promotion_url" "$work/tokens" "$work/users" "${SETUP_TIMEOUT:-300}")" || setup_status=$?
((setup_status == 0)) || { echo "set-up failed: $setup_result" >&2; exit 1; }
settled_after_setup="$(bench_settle "${metrics[@]}")"
bench_rss_stop
bytes="$(curl -s -o /dev/null -w '%{size_download}' \
  -H "Authorization: Bearer $(head -1 "$work/users")" "$promotion_url/promotions/available")"

# Phases 2 and 3.
bench_rss_start "$promotion_pid" "$work/rss-load"
bench_start_selftest 128
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(bench_wrk trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/users")"
kill "$BENCH_SELFTEST_PID" 2>/dev/null || true
wait "$BENCH_SELFTEST_PID" 2>/dev/null || true
read -r a_rps a_p50 a_p99 a_max a_bad a_err a_cpu a_redis <<< \
  "$(bench_wrk available "$promotion_url" "$promotion_pid" "$lua" available "$work/users")"
bench_start_selftest "$bytes"
read -r s_rps s_p50 s_p99 s_max s_bad s_err s_cpu s_redis <<< \
  "$(bench_wrk trivial-sized "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/users")"
bench_rss_stop
ratio="$(awk -v a="$a_rps" -v t="$t_rps" 'BEGIN {printf "%.2f", a / t}')"
ratio_sized="$(awk -v a="$a_rps" -v t="$s_rps" 'BEGIN {printf "%.2f", a / t}')"

rss_mb() { awk '{printf "%.1f", $1 / 1024}' "$1" 2>/dev/null || echo "?"; }
hwm_mb="$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$promotion_pid/status" 2>/dev/null || echo "?")"
echo "== GET /promotions/available"
echo "idle ${settled_before}s after the start; set-up: $setup_result"
echo "idle again ${settled_after_setup}s later"
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency; load: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-28s %10s %9s %9s %9s %8s %7s %8s %9s %8s\n' "$@"; }
row route "req/s" p50 p99 max non-2xx errors "cpu/req" "redis/req" bytes
row "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_max" "$t_bad" "$t_err" "$t_cpu" "$t_redis" 128
row "GET /promotions/available" "$a_rps" "$a_p50" "$a_p99" "$a_max" "$a_bad" "$a_err" "$a_cpu" "$a_redis" "$bytes"
row "  trivial, same body size" "$s_rps" "$s_p50" "$s_p99" "$s_max" "$s_bad" "$s_err" "$s_cpu" "$s_redis" "$bytes"
echo "(cpu/req: CPU time of the server, the self-test or the Promotion, per request; redis/req: Redis's)"
echo "GET /promotions/available / trivial: $ratio (target >= 0.5); / trivial with the same body: $ratio_sized"
echo "promotion peak RSS: $(rss_mb "$work/rss-load") MB under the HTTP load (target < 50)," \
  "$(rss_mb "$work/rss-setup") MB while following the set-up's carts; VmHWM since its start $hwm_mb MB"
if [[ "$a_bad" != 0 || "$a_err" != 0 ]]; then
  echo "errors: non-2xx or socket errors under load" >&2
  exit 1
fi
