#!/usr/bin/env bash
# Benchmarks the Checkout (port 8104): how soon a cart change shows in the customer's summary,
# and GET /checkout/summary's throughput.
#  - Event-to-summary latency: from the Cart's 201 to POST /cart/items until the summary shows
#    that change (GET /checkout/summary?cart_version=V&wait_ms=2000 answering with
#    "freshness":{"complete":true}, asked right after the POST; or, for SSE_USERS of the users,
#    the first event of their open GET /checkout/summary/stream with versions.cart >= V), p50/p99,
#    at a steady CHANGE_RATE changes a second (bench/checkout/event_latency.py). The path: the
#    Cart's commit and outbox relay, Kafka cart-events, the Checkout's consumer folding the event
#    into the session's view and totals, its change board waking the waiting request, the summary
#    read. Beside it, in the same run and on the same broker, Kafka's own produce -> consume
#    latency (bench/checkout/kafka_latency.py: a producer with acks=all and the Cart's linger.ms, a
#    consumer with the Checkout's fetch.wait.max.ms, one process, a topic of its own, the same
#    rate): once alone before the load, and once beside the load, at the same time (the ratio's
#    baseline: the same broker under the same conditions).
#  - GET /checkout/summary (no version asked: answered at once) over the users' sessions, 64
#    connections, against the HTTP kit's trivial route (bench/http_selftest) measured in the same
#    run with the same wrk settings and the same request script (bench/checkout/summary_load.lua:
#    each request carries one of the users' tokens), so that the ratio compares services, not
#    load-generator work; also beside the trivial route serving a body of the summary's size.
# Prints p50/p99 of each latency, the ratio to Kafka's p99, req/s, p50/p99, the server's and
# Redis's CPU time per request, the ratios, the Checkout's peak resident memory (VmRSS polled
# every 0.2 s) in each phase, and whether each target holds.
# Targets (2 cores): event-to-summary p99 <= 3x Kafka's own p99 and < 50 ms at 500 changes/s;
# GET /checkout/summary >= 0.4x trivial; RSS < 50 MB.
#
# Self-contained: it needs only Redis and Kafka, which it starts with scripts/infra.sh when they
# are not up (BENCH_PROFILE: the profile of scripts/env.sh, by default $CHECKOUT_PROFILE, which
# ./dev bench sets to dev, else test; it never stops them), the sample catalog in that Redis
# (imported with build/tools/catalog_import when a product is missing), a Cart and a Checkout:
# CART_URL / CHECKOUT_URL if given, else in the dev profile the dev stack's when they answer on
# 8101 / 8104, else its own instances of build/services/{cart,checkout}/*_service on free ports
# (consumer groups prefixed `bench-`, moved to the end of their topics first by
# bench/checkout/skip_history.py: the users are new in every run, and the test profile's Kafka
# holds every test's and bench's history), stopped at the end.
#
# Phases:
#  1. Set-up (unmeasured): BENCH_USERS users each add one product (a random one of the sample
#     catalog's goods with stock >= 20), which opens their checkout session; each user's summary
#     is asked until it includes that add. Then settle (below).
#  2. Kafka alone: KAFKA_SECONDS at CHANGE_RATE messages a second (2 s warm-up first).
#  3. Changes at CHANGE_RATE a second: LATENCY_WARMUP seconds unrecorded, LATENCY_SECONDS
#     recorded, each by the next user in a random order (each user changes once every
#     BENCH_USERS/CHANGE_RATE seconds), adding the next of its four products (carts stay at four
#     lines); the Kafka probe runs beside it. The load generator's own delay (how late each POST
#     left after its due time) and its achieved rate are printed: the figures hold only if it kept
#     up. Then settle.
#  4. The trivial route (128-byte body), GET /checkout/summary over the users, the trivial route
#     with a body of the summary's size.
# Settling waits until the Cart's and the Checkout's outbox and consumer lag are zero and no
# Redis AOF rewrite runs, for 6 s in a row, so one phase's background work does not land in the
# next. At the end (also after a failure) it settles again and deletes what the stack keeps for
# the bench users: the Checkout's user pointers and sessions (session, totals, customer data,
# consents), and what bench_forget_users (bench/lib.sh) deletes for the Cart and the services
# that follow its events.
# A run takes about two and a half minutes.
#
# Needs: wrk, curl, redis-cli, python3, the build (cart_service, checkout_service, http_selftest,
# dev_token, catalog_import), confluent-kafka in .local/venv (./dev install).
# Env: BENCH_PROFILE, CART_URL, CHECKOUT_URL, CART_BIN, CHECKOUT_BIN, BENCH_USERS (1000),
#      CHANGE_RATE (500), LATENCY_WARMUP (5), LATENCY_SECONDS (20), SSE_USERS (100),
#      KAFKA_SECONDS (10), WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s),
#      WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
profile="${BENCH_PROFILE:-${CHECKOUT_PROFILE:-test}}"
# The profile's Redis, Kafka and JWT settings first: bench/lib.sh reads REDIS_PORT.
# shellcheck source=scripts/env.sh
source "$repo/scripts/env.sh" "$profile"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
users="${BENCH_USERS:-1000}"
rate="${CHANGE_RATE:-500}"
latency_warmup="${LATENCY_WARMUP:-5}"
latency_seconds="${LATENCY_SECONDS:-20}"
sse_users="${SSE_USERS:-100}"
kafka_seconds="${KAFKA_SECONDS:-10}"
cart_bin="${CART_BIN:-$repo/build/services/cart/cart_service}"
checkout_bin="${CHECKOUT_BIN:-$repo/build/services/checkout/checkout_service}"
importer="$repo/build/tools/catalog_import/catalog_import"
venv_python="$repo/.local/venv/bin/python"
lua="$repo/bench/checkout/summary_load.lua"
latency_py="$repo/bench/checkout/event_latency.py"

bench_require_tools wrk curl python3 redis-cli
bench_require_built
"$venv_python" -c 'import confluent_kafka' 2>/dev/null ||
  { echo "confluent-kafka missing in .local/venv (./dev install)" >&2; exit 2; }
"$repo/scripts/infra.sh" start "$profile" redis kafka

bench_workdir checkout_bench
work="$BENCH_WORK"
prefix="bench-co-$RANDOM-"
own_pid=""
cart_own=""
checkout_own=""
touched=0
metrics=()
cleanup() {
  local status=$?
  set +e
  bench_stop_helpers
  if ((touched)); then
    SETTLE_TIMEOUT=120 bench_settle "${metrics[@]}" > /dev/null
    # The Checkout's pointer (user -> session) and the session's keys of each bench user.
    "${bench_redis[@]}" eval "
      for i = 0, tonumber(ARGV[2]) - 1 do
        local u = ARGV[1] .. i
        local sid = redis.call('HGET', 'checkout:user:{' .. u .. '}', 'session_id')
        if sid then
          redis.call('UNLINK', 'checkout:session:{' .. sid .. '}', 'checkout:totals:{' .. sid .. '}',
                     'checkout:customer:{' .. sid .. '}', 'checkout:consents:{' .. sid .. '}')
        end
        redis.call('UNLINK', 'checkout:user:{' .. u .. '}')
      end" 0 "$prefix" "$users" > /dev/null
    bench_forget_users "$prefix" "$users" "$work/skus"
  fi
  local pid log
  for pid in "$checkout_own" "$cart_own" "$own_pid"; do
    [[ -n "$pid" ]] || continue
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  if ((status)); then
    for log in "$work/checkout_service.log" "$work/cart_service.log"; do
      [[ -s "$log" ]] && echo "$(basename "$log"):" >&2 && tail -20 "$log" >&2
    done
  fi
  rm -rf "$work"
  return "$status"
}
trap cleanup EXIT

# The goods of the sample catalog with some stock (quantities stay small), one sku a line.
python3 - "$repo/tools/catalog/sample_catalog.jsonl" > "$work/skus" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    product = json.loads(line)
    if product["category"] != "service" and product["stock"] >= 20:
        print(product["sku"])
PY
# The sample catalog in this profile's Redis (the tests load it too; imported when missing).
missing="$(sed 's/.*/EXISTS catalog:product:{&}/' "$work/skus" | "${bench_redis[@]}" | grep -c '^0$' || true)"
if ((missing)); then
  [[ -x "$importer" ]] || { echo "no $importer: build it (./dev build)" >&2; exit 2; }
  echo "importing the sample catalog ($missing products missing)"
  "$importer" "$repo/tools/catalog/sample_catalog.jsonl" > "$work/catalog_import.log" 2>&1 ||
    { echo "catalog import failed:" >&2; tail -5 "$work/catalog_import.log" >&2; exit 1; }
fi

# The consumer groups of its own Cart and Checkout (if it starts them) begin at the topics' ends:
# the users are new in every run, and the profile's Kafka may hold a long history (in the test
# profile every test's and bench's events) the instances would first work through.
skipped="$("$venv_python" "$repo/bench/checkout/skip_history.py" "$KAFKA_BROKERS" \
  bench-checkout=cart-events,warranty-events,shipping-events,payment-events,promotion-events,checkout-events \
  bench-cart-catalog=catalog-events bench-cart-enrichment=cart-events \
  bench-cart-session=checkout-events bench-cart-services=services-events \
  bench-cart-warranty=warranty-events bench-cart-promotion=promotion-events | paste -sd ';' -)" ||
  echo "warning: some bench consumer groups kept their position (an instance still running?)" >&2

# The Cart and the Checkout to measure (bench_pick_service, bench/lib.sh).
bench_pick_service cart 8101 "$cart_bin" "$work/cart_service.log"
cart_url="$service_url" cart_pid="$service_pid" cart_own="$own_pid" own_pid=""
bench_pick_service checkout 8104 "$checkout_bin" "$work/checkout_service.log"
checkout_url="$service_url" checkout_pid="$service_pid" checkout_own="$own_pid" own_pid=""
metrics=("$cart_url/metrics" "$checkout_url/metrics")
linger_ms="$(bench_service_env "$cart_pid" KAFKA_LINGER_MS 5)"
fetch_wait_ms="$(bench_service_env "$checkout_pid" KAFKA_FETCH_WAIT_MAX_MS 100)"

bench_tokens "$prefix" "$users" "$work/tokens"

# Phase 1.
settled_before="$(bench_settle "${metrics[@]}")"
bench_rss_start "$checkout_pid" "$work/rss-setup"
touched=1
setup_status=0
setup_result="$(python3 "$latency_py" setup "$cart_url" "$checkout_url" "$work/tokens" \
  "$work/skus" "$work/plans")" || setup_status=$?
((setup_status == 0)) || { echo "set-up failed: $setup_result" >&2; exit 1; }
settled_after_setup="$(bench_settle "${metrics[@]}")"
bench_rss_stop

# Phase 2.
mkdir -p "$work/latency"
kafka_quiet="$("$venv_python" "$repo/bench/checkout/kafka_latency.py" "$KAFKA_BROKERS" "$rate" 2 \
  "$kafka_seconds" "$work/kafka-quiet.ms" "$linger_ms" "$fetch_wait_ms" | grep -v '^ready$')" ||
  { echo "the Kafka probe failed: $kafka_quiet" >&2; exit 1; }

# Phase 3.
bench_rss_start "$checkout_pid" "$work/rss-latency"
checkout_cpu_before="$(bench_cpu_ticks "$checkout_pid")"
latency_status=0
"$venv_python" "$latency_py" run "$cart_url" "$checkout_url" "$work/plans" "$work/latency" \
  --rate "$rate" --warmup "$latency_warmup" --measure "$latency_seconds" --sse-users "$sse_users" \
  --kafka "$KAFKA_BROKERS" --linger "$linger_ms" --fetch-wait "$fetch_wait_ms" \
  > "$work/latency.out" 2>&1 || latency_status=$?
checkout_cpu="$(( $(bench_cpu_ticks "$checkout_pid") - checkout_cpu_before ))"
bench_rss_stop
settled_after_latency="$(bench_settle "${metrics[@]}")"
token="$(head -1 "$work/tokens")"
bytes="$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" \
  "$checkout_url/checkout/summary")"
lines="$(curl -s -H "Authorization: Bearer $token" "$checkout_url/checkout/summary" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["lines"]))')"

# Phase 4.
bench_rss_start "$checkout_pid" "$work/rss-load"
bench_start_selftest 128
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(bench_wrk trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/tokens")"
kill "$BENCH_SELFTEST_PID" 2>/dev/null || true
wait "$BENCH_SELFTEST_PID" 2>/dev/null || true
read -r a_rps a_p50 a_p99 a_max a_bad a_err a_cpu a_redis <<< \
  "$(bench_wrk summary "$checkout_url" "$checkout_pid" "$lua" summary "$work/tokens")"
bench_start_selftest "$bytes"
read -r s_rps s_p50 s_p99 s_max s_bad s_err s_cpu s_redis <<< \
  "$(bench_wrk trivial-sized "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/tokens")"
bench_rss_stop

rss_mb() { awk '{printf "%.1f", $1 / 1024}' "$1" 2>/dev/null || echo "?"; }
hwm_mb="$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$checkout_pid/status" 2>/dev/null || echo "?")"
echo "cart $cart_url (pid $cart_pid), checkout $checkout_url (pid $checkout_pid), profile $profile," \
  "Kafka $KAFKA_BROKERS; idle ${settled_before}s after the start"
echo "history skipped by the bench's own consumer groups: ${skipped:-none}"
echo "set-up: $setup_result; idle again ${settled_after_setup}s later"
echo "changes: $rate/s, ${latency_warmup}s warm-up + ${latency_seconds}s measured, $users users" \
  "($sse_users of them on the SSE stream), carts of up to 4 lines; idle ${settled_after_latency}s" \
  "after; Kafka probe linger.ms=$linger_ms fetch.wait.max.ms=$fetch_wait_ms"
sed 's/^/  /' "$work/latency.out"
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency; load: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-28s %10s %9s %9s %9s %8s %7s %8s %9s %8s\n' "$@"; }
row route "req/s" p50 p99 max non-2xx errors "cpu/req" "redis/req" bytes
row "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_max" "$t_bad" "$t_err" "$t_cpu" "$t_redis" 128
row "GET /checkout/summary" "$a_rps" "$a_p50" "$a_p99" "$a_max" "$a_bad" "$a_err" "$a_cpu" "$a_redis" "$bytes"
row "  trivial, same body size" "$s_rps" "$s_p50" "$s_p99" "$s_max" "$s_bad" "$s_err" "$s_cpu" "$s_redis" "$bytes"
echo "(cpu/req: CPU time of the server, the self-test or the Checkout, per request; redis/req: Redis's;" \
  "the summary of a $lines-line cart)"
report_status=0
python3 - "$work" "$rate" "$t_rps" "$a_rps" "$s_rps" "$(rss_mb "$work/rss-latency")" \
  "$(rss_mb "$work/rss-load")" "$(rss_mb "$work/rss-setup")" "$hwm_mb" "$checkout_cpu" \
  "$(getconf CLK_TCK)" <<'PY' || report_status=$?
import math, os, re, sys
work, rate = sys.argv[1], float(sys.argv[2])
trivial, summary, sized = (float(x) for x in sys.argv[3:6])
rss_latency, rss_load, rss_setup, hwm = sys.argv[6:10]
cpu_ticks, hz = int(sys.argv[10]), int(sys.argv[11])
def load(name):
    path = os.path.join(work, name)
    return [float(x) for x in open(path)] if os.path.exists(path) else []
def pct(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)] if ordered else float("nan")
def describe(values):
    if not values:
        return "no samples"
    return (f"p50 {pct(values, 0.5):6.1f} ms, p99 {pct(values, 0.99):6.1f} ms, "
            f"max {max(values):7.1f} ms  ({len(values)} samples)")
out = open(os.path.join(work, "latency.out")).read()
status = dict(re.findall(r"(\w+)=([\d.]+)", out.splitlines()[0] if out.startswith("status") else ""))
achieved = float(status.get("achieved_rate", 0))
measured = int(status.get("measured", 0))
summary_ms, sse_ms = load("latency/summary.ms"), load("latency/sse.ms")
kafka_ms, quiet_ms = load("latency/kafka.ms"), load("kafka-quiet.ms")
post_ms, lag_ms = load("latency/post.ms"), load("latency/lag.ms")
ok = lambda b: "yes" if b else "NO"  # noqa: E731
print("Results")
print(f"  load generator: {achieved:.1f} changes/s achieved of {rate:.0f} "
      f"({ok(achieved >= 0.98 * rate)} kept up); POST left late by p50 {pct(lag_ms, .5):.1f} ms, "
      f"p99 {pct(lag_ms, .99):.1f} ms")
unseen = int(status.get("measured_not_seen", 0))
if unseen:
    print(f"  {unseen} of the {measured} measured changes were NOT seen in time (summary 2 s, stream"
          f" 5 s): counted at the time given up, so the percentiles below are lower bounds")
print(f"  POST /cart/items itself:               {describe(post_ms)}")
print(f"  event -> GET /checkout/summary:         {describe(summary_ms)}")
print(f"  event -> summary stream (SSE):          {describe(sse_ms)}")
print(f"  Kafka produce -> consume, beside load: {describe(kafka_ms)}")
print(f"  Kafka produce -> consume, alone:       {describe(quiet_ms)}")
checkout_us = cpu_ticks * 1e6 / hz / measured if measured else float("nan")
print(f"  Checkout CPU during the change load: {checkout_us:.0f} us per change (events, summaries"
      f"{', streams' if sse_ms else ''})")
kafka_p99, quiet_p99 = pct(kafka_ms, .99), pct(quiet_ms, .99)
targets = []
for name, values in (("summary", summary_ms), ("SSE", sse_ms)):
    if not values:
        continue
    p99 = pct(values, .99)
    ratio = p99 / kafka_p99 if kafka_ms else float("nan")
    print(f"  {name} p99 / Kafka p99 (beside the load): {ratio:.2f}x (target <= 3: "
          f"{ok(ratio <= 3)}); / Kafka alone: {p99 / quiet_p99 if quiet_ms else float('nan'):.2f}x;"
          f" p99 {p99:.1f} ms (target < 50: {ok(p99 < 50)})")
    if name == "summary":
        targets += [ratio <= 3 and not unseen, p99 < 50 and not unseen]
ratio = summary / trivial
print(f"  GET /checkout/summary {summary:.0f} req/s / trivial {trivial:.0f} req/s: {ratio:.2f} "
      f"(target >= 0.4: {ok(ratio >= 0.4)}); / trivial with the same body: {summary / sized:.2f}")
targets.append(ratio >= 0.4)
peak = max((float(x) for x in (rss_latency, rss_load) if x != "?"), default=float("nan"))
print(f"  checkout peak RSS under load: {peak:.1f} MB (target < 50: {ok(peak < 50)}); "
      f"{rss_latency} MB during the changes, {rss_load} MB under wrk, {rss_setup} MB in the set-up;"
      f" VmHWM since its start {hwm} MB")
targets.append(peak < 50)
print(f"  targets met: {sum(targets)} of {len(targets)}"
      + ("" if achieved >= 0.98 * rate else " (the load generator fell behind: not comparable)"))
PY
if ((latency_status || report_status)) || [[ "$a_bad" != 0 || "$a_err" != 0 ]]; then
  echo "errors: a change failed or was not seen, the report failed, or non-2xx or socket errors under load" >&2
  exit 1
fi
