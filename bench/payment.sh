#!/usr/bin/env bash
# Benchmarks the Payment's gateway webhooks (POST /payment/webhook/{przelewy24|payu|stripe}):
# each a signature check, then one PostgreSQL transaction with the dedupe row (gateway_events),
# the attempt's state change (transactions, transaction_history) and the outbox row
# (PaymentSucceeded), 64 connections, every request a distinct, correctly signed gateway event
# moving its own attempt from initialized to succeeded, each sent once. Against, in the same
# run: the HTTP kit's trivial route (bench/http_selftest, GET /ping with the same headers, built
# by the same request script, bench/payment/webhook_load.lua) and pgbench's single-row INSERT
# (bench/payment/pgbench_insert.sql) on the same PostgreSQL, same duration, PGBENCH_CLIENTS
# clients. Then forged webhooks (the same requests with a broken signature, 401 before any I/O).
# Prints req/s, p50/p99, max, the server's and Redis's CPU time per request, pgbench's TPS, the
# ratios, the forged webhooks' p99 as the client sees it and as the service measures it (its
# http_request_duration_seconds buckets: from the request's first bytes to the answer, without
# the machine's queueing in front of it), and the Payment's peak resident memory (VmRSS polled
# every 0.2 s) under the load.
# Targets (2 cores): Stripe webhooks >= 0.5x pgbench's TPS; forged p99 < 1 ms; RSS < 50 MB.
#
# Przelewy24 takes the money only after our verify call (PUT /api/v1/transaction/verify), made
# inside each webhook: its phase runs against the Przelewy24 simulator
# (build/tools/przelewy24_sim/przelewy24_sim, on a free port, P24_URL of the service), where the
# set-up registered and paid every attempt (without urlStatus, so it sends no notification of
# its own). Its figures include that HTTP call to the simulator (one thread, same two cores).
# PayU and Stripe confirm nothing: no outbound call.
#
# Self-contained: it needs Redis, Kafka and PostgreSQL, which it starts with scripts/infra.sh
# when they are not up (BENCH_PROFILE: the profile of scripts/env.sh, by default
# $CHECKOUT_PROFILE, which ./dev bench sets to dev, else test; it never stops them), and runs its
# own build/services/payment/payment_service on a free port (never the dev stack's: it seeds the
# attempts straight into the service's tables) with its own PostgreSQL schema bench_payment_<n>
# (PAYMENT_PG_SCHEMA; the service's migrations create it), consumer groups prefixed `bench-`,
# reconciliation pushed out of the run (PAYMENT_RECONCILE_AFTER_S a week).
#
# Phases:
#  1. Set-up (unmeasured): BENCH_WEBHOOKS orders and attempts (state initialized, 12999 PLN) per
#     gateway inserted with SQL; the Przelewy24 ones registered and paid at the simulator; the
#     requests built and signed (bench/payment/webhooks.py), Stripe's right before its phase (its
#     signatures expire after 300 s). Then settle (below).
#  2. The trivial route; pgbench's INSERT (WRK_WARMUP, then WRK_DURATION); then pgbench running
#     the webhook's own transaction (bench/payment/pgbench_webhook_tx.sql: the statements the
#     service sends, without the service) on CEILING_ATTEMPTS attempts seeded for it (gateway
#     'ceiling'): the most any implementation of that transaction gets from this PostgreSQL.
#  3. PayU, Przelewy24, Stripe webhooks: each request once, over the warm-up and the measured
#     run (the request script keeps a cursor); after each, the check: attempts succeeded =
#     gateway_events rows = new outbox rows = requests sent, and settle (the relay publishes).
#     BENCH_WEBHOOKS must exceed what 64 connections send in WRK_WARMUP + WRK_DURATION: a run
#     that runs out fails and says so.
#  4. Forged webhooks of each gateway (401; nothing changes in the tables, the service counts
#     them in payment_webhooks_total{outcome="rejected_signature"}, logging at debug only),
#     under the full load, then under a light one: LIGHT_CONNECTIONS connections each pausing
#     LIGHT_PAUSE_MS before each request, beside the trivial route under the same light load
#     (with 64 connections on two cores the p99 is the queue's, the trivial route's included).
# The seeded attempts stay in the table: the webhooks' rate depends on its size
# (3 x BENCH_WEBHOOKS rows) wherever a query scans it.
# Settling waits until the Payment's outbox and consumer lag are zero and no Redis AOF rewrite
# runs, for 6 s in a row. At the end (also after a failure) it stops its service and simulator,
# drops the schema and deletes the sessions' version keys the webhooks left in Redis.
# A run takes about four minutes, plus the set-up (about 30 s).
#
# Needs: wrk, curl, psql, pgbench (postgresql-client), redis-cli, python3, the build
# (payment_service, przelewy24_sim, http_selftest, dev_token).
# Env: BENCH_PROFILE, PAYMENT_BIN (build/services/payment/payment_service), P24_SIM_BIN,
#      BENCH_WEBHOOKS (20000 per gateway), CEILING_ATTEMPTS (2 x BENCH_WEBHOOKS), PGBENCH_CLIENTS (WRK_CONNECTIONS), LIGHT_CONNECTIONS
#      (4), LIGHT_PAUSE_MS (1), WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s),
#      WRK_WARMUP (2s), SETTLE_TIMEOUT (600 s).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
profile="${BENCH_PROFILE:-${CHECKOUT_PROFILE:-test}}"
# The profile's Redis, Kafka and PostgreSQL settings first: bench/lib.sh reads REDIS_PORT.
# shellcheck source=scripts/env.sh
source "$repo/scripts/env.sh" "$profile"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
webhooks="${BENCH_WEBHOOKS:-20000}"
ceiling_attempts="${CEILING_ATTEMPTS:-$((2 * webhooks))}"
amount=12999
payment_bin="${PAYMENT_BIN:-$repo/build/services/payment/payment_service}"
sim_bin="${P24_SIM_BIN:-$repo/build/tools/przelewy24_sim/przelewy24_sim}"
pgbench_clients="${PGBENCH_CLIENTS:-$bench_connections}"
lua="$repo/bench/payment/webhook_load.lua"
gen=(python3 "$repo/bench/payment/webhooks.py")
gateways=(payu przelewy24 stripe)

bench_require_tools wrk curl python3 psql pgbench redis-cli
bench_require_built
[[ -x "$sim_bin" ]] || { echo "no $sim_bin: build it (./dev build)" >&2; exit 2; }
"$repo/scripts/infra.sh" start "$profile" redis kafka postgres

bench_workdir payment_bench
work="$BENCH_WORK"
run_id="$RANDOM"
schema="bench_payment_$run_id"
prefix="bpay-$run_id-"
own_pid=""
sim_pid=""
sql() { psql "$PG_DSN" -X -q -t -A -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
  local status=$?
  # No errexit here: a helper's wait answers 143 when it was still running (a failure
  # mid-phase), and the service, the simulator and the schema must still go.
  set +e
  bench_stop_helpers
  if [[ -n "$own_pid" ]]; then
    kill "$own_pid" 2>/dev/null && wait "$own_pid" 2>/dev/null || true
    if ((status)); then
      echo "its log (forged webhooks' warnings left out):" >&2
      grep -v 'webhook from .* rejected' "$work/payment_service.log" | tail -20 >&2 || true
    fi
  fi
  if [[ -n "$sim_pid" ]]; then
    kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  fi
  sql "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1 || true
  "${bench_redis[@]}" --scan --pattern "payment:session:{$prefix*" |
    xargs -r -n 500 "${bench_redis[@]}" unlink > /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The Przelewy24 simulator the service verifies with.
sim_port="$(free_port)"
P24_SIM_PORT="$sim_port" LOG_LEVEL=warn "$sim_bin" > "$work/przelewy24_sim.log" 2>&1 < /dev/null &
sim_pid=$!
sim_url="http://127.0.0.1:$sim_port"
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$sim_url/control/state" || true)" == 200 ]]; do
  kill -0 "$sim_pid" 2>/dev/null || { echo "the Przelewy24 simulator did not start" >&2; exit 1; }
  sleep 0.1
done

# Its own Payment (port 0: never the dev stack's, whose tables it must not seed).
unset PAYMENT_URL
export PAYMENT_PG_SCHEMA="$schema" P24_URL="$sim_url" PAYMENT_RECONCILE_AFTER_S=604800 \
  PAYMENT_RECONCILE_INTERVAL_S=86400
bench_pick_service payment 0 "$payment_bin" "$work/payment_service.log"
payment_url="$service_url"
payment_pid="$service_pid"
metrics=("$payment_url/metrics")

# Phase 1.
sql "
  INSERT INTO $schema.orders (order_id, session_id, user_id, amount, currency, method_id)
    SELECT '$prefix' || g || '-' || i, '$prefix' || g || '-' || i, 'bench-user', $amount, 'PLN',
           'card'
      FROM unnest(ARRAY['przelewy24', 'payu', 'stripe']) g, generate_series(0, $webhooks - 1) i;
  INSERT INTO $schema.transactions (transaction_id, order_id, session_id, user_id, gateway,
                                    method_id, amount, currency, state)
    SELECT order_id, order_id, session_id, user_id, split_part(substr(order_id, length('$prefix') + 1), '-', 1),
           method_id, amount, currency, 'initialized'
      FROM $schema.orders WHERE order_id LIKE '$prefix%';
  INSERT INTO $schema.orders (order_id, session_id, user_id, amount, currency, method_id)
    SELECT '${prefix}ceiling-' || i, '${prefix}ceiling-' || i, 'bench-user', $amount, 'PLN', 'card'
      FROM generate_series(0, $ceiling_attempts - 1) i;
  INSERT INTO $schema.transactions (transaction_id, order_id, session_id, user_id, gateway,
                                    method_id, amount, currency, state)
    SELECT order_id, order_id, session_id, user_id, 'ceiling', method_id, amount, currency,
           'initialized'
      FROM $schema.orders WHERE order_id LIKE '${prefix}ceiling-%';
  CREATE SEQUENCE $schema.ceiling_pick MINVALUE 1;
  CREATE TABLE $schema.pgbench_scratch (gateway text NOT NULL, event_key text NOT NULL,
    transaction_id text NOT NULL, received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (gateway, event_key));
  ANALYZE $schema.orders; ANALYZE $schema.transactions;"
setup_started=$SECONDS
"${gen[@]}" p24-register "$sim_url" "$prefix" "$webhooks" "$amount" "$work/p24-orders"
"${gen[@]}" build przelewy24 "$prefix" "$webhooks" "$amount" "$work/przelewy24.req" \
  "$work/przelewy24.forged" "$work/p24-orders"
"${gen[@]}" build payu "$prefix" "$webhooks" "$amount" "$work/payu.req" "$work/payu.forged"
setup_seconds=$((SECONDS - setup_started))
settled_before="$(bench_settle "${metrics[@]}")"

# Phase 2.
bench_rss_start "$payment_pid" "$work/rss-load"
bench_start_selftest 128
read -r t_rps t_p50 t_p99 t_max t_bad t_err t_cpu t_redis <<< \
  "$(bench_wrk trivial "http://127.0.0.1:$BENCH_SELFTEST_PORT" "$BENCH_SELFTEST_PID" "$lua" \
    ping "$work/payu.req")"
kill "$BENCH_SELFTEST_PID" 2>/dev/null || true
wait "$BENCH_SELFTEST_PID" 2>/dev/null || true

seconds="${bench_duration%s}"
failures=()
# pgbench_run SECONDS SCRIPT [OPTIONS...]
pgbench_run() {
  PGOPTIONS="-c search_path=$schema" pgbench -n -M prepared -c "$pgbench_clients" \
    -j "$bench_wrk_threads" -T "$1" -f "$repo/bench/payment/$2" "${@:3}" "$PG_DSN" 2>&1
}
pgbench_run "${bench_warmup%s}" pgbench_insert.sql > /dev/null
pgbench_run "$seconds" pgbench_insert.sql > "$work/pgbench.out"
pg_tps="$(awk '/^tps = / {printf "%.0f", $3; exit}' "$work/pgbench.out")"
pg_latency="$(awk '/^latency average/ {print $4 $5}' "$work/pgbench.out")"
pg_failed="$(awk '/failed transactions:/ {print $5}' "$work/pgbench.out")"
[[ -n "$pg_tps" ]] || { echo "pgbench failed:" >&2; cat "$work/pgbench.out" >&2; exit 1; }
# The webhook's own transaction without the service: the database's ceiling for it.
pgbench_run "${bench_warmup%s}" pgbench_webhook_tx.sql -D prefix="$prefix" > /dev/null
pgbench_run "$seconds" pgbench_webhook_tx.sql -D prefix="$prefix" > "$work/pgbench-tx.out"
tx_tps="$(awk '/^tps = / {printf "%.0f", $3; exit}' "$work/pgbench-tx.out")"
tx_latency="$(awk '/^latency average/ {print $4 $5}' "$work/pgbench-tx.out")"
tx_failed="$(awk '/failed transactions:/ {print $5}' "$work/pgbench-tx.out")"
[[ -n "$tx_tps" ]] || { echo "pgbench (webhook transaction) failed:" >&2; cat "$work/pgbench-tx.out" >&2; exit 1; }
ceiling_used="$(sql "SELECT last_value FROM $schema.ceiling_pick")"
((ceiling_used < ceiling_attempts)) ||
  failures+=("pgbench's webhook transaction ran out of attempts (raise CEILING_ATTEMPTS above $ceiling_attempts)")

# counts GATEWAY: "succeeded gateway_events outbox" of the bench's attempts at GATEWAY now (the
# outbox rows keyed by their sessions: the service also follows whatever the profile's topics
# carry, e.g. the tests' orders).
counts() {
  sql "SELECT (SELECT count(*) FROM $schema.transactions WHERE gateway = '$1' AND state = 'succeeded'),
              (SELECT count(*) FROM $schema.gateway_events WHERE gateway = '$1'),
              (SELECT count(*) FROM $schema.outbox WHERE key LIKE '$prefix$1-%')" | tr '|' ' '
}
# metric GATEWAY OUTCOME: payment_webhooks_total of that gateway and outcome.
metric() {
  curl -s "$payment_url/metrics" | awk -v g="gateway=\"$1\"" -v o="outcome=\"$2\"" '
    /^payment_webhooks_total\{/ && index($0, g) && index($0, o) {n += $NF} END {print n + 0}'
}
# Waits (up to 10 s) until the requests still in the service when wrk stopped are done.
counts_settled() {
  local last="" now i
  for ((i = 0; i < 20; i++)); do
    now="$(counts "$1")"
    [[ "$now" == "$last" ]] && break
    last="$now"
    sleep 0.5
  done
  echo "$now"
}

# Phase 3.
declare -A w_row checks
for gateway in "${gateways[@]}"; do
  if [[ "$gateway" == stripe ]]; then
    "${gen[@]}" build stripe "$prefix" "$webhooks" "$amount" "$work/stripe.req" "$work/stripe.forged"
  fi
  read -r s0 e0 o0 <<< "$(counts "$gateway")"
  w_row[$gateway]="$(bench_wrk "webhook-$gateway" "$payment_url" "$payment_pid" "$lua" \
    once "$work/$gateway.req" "$work/$gateway.cursor" "$bench_wrk_threads")"
  read -r s1 e1 o1 <<< "$(counts_settled "$gateway")"
  read -r _ sent exhausted < "$work/$gateway.cursor"
  checks[$gateway]="sent $sent, succeeded $((s1 - s0)), dedupe rows $((e1 - e0)), outbox rows $((o1 - o0))"
  [[ "${exhausted:-}" == exhausted ]] &&
    failures+=("$gateway: ran out of requests (raise BENCH_WEBHOOKS above $webhooks)")
  if ((s1 - s0 != sent || e1 - e0 != sent || o1 - o0 != sent)); then
    read -r next _ < "$work/$gateway.cursor"
    failures+=("$gateway: ${checks[$gateway]}; not succeeded below the cursor $next: $(sql "
      SELECT string_agg(split_part(transaction_id, '-', 4), ' ') FROM $schema.transactions
       WHERE gateway = '$gateway' AND state <> 'succeeded'
         AND split_part(transaction_id, '-', 4)::int < $next")")
  fi
  bench_settle "${metrics[@]}" > "$work/$gateway.settled"
done

# hist_snapshot FILE: the webhook route's latency buckets as the service measures them (from the
# request's first bytes to its answer, before the write), "le count" lines, cumulative.
hist_snapshot() {
  curl -s "$payment_url/metrics" | awk '
    /^http_request_duration_seconds_bucket\{/ && index($0, "route=\"/payment/webhook/{gateway}\"") &&
      index($0, "method=\"POST\"") {
      match($0, /le="[^"]*"/); print substr($0, RSTART + 4, RLENGTH - 5), $NF
    }' > "$1"
}
# server_p99 BEFORE AFTER: the smallest bucket bound (ms) under which 99 % of the requests
# between the two snapshots were answered.
server_p99() {
  awk 'NR == FNR {before[$1] = $2; next}
       {le[++n] = $1; c[n] = $2 - before[$1]}
       END {for (i = 1; i <= n; i++) if (c[i] >= 0.99 * c[n]) {
              if (le[i] == "+Inf") print "inf"; else printf "%g\n", le[i] * 1000; exit}}' "$1" "$2"
}

# Phase 4: under the full load, then under a light one (latency without the queueing).
light="${LIGHT_CONNECTIONS:-4}"
light_pause="${LIGHT_PAUSE_MS:-1}"
declare -A f_row f_checks f_server
forged_phase() {
  local gateway="$1" name="$2" pause="${3:-0}" s0 e0 o0 s1 e1 o1 rejected0 rejected answered
  read -r s0 e0 o0 <<< "$(counts "$gateway")"
  rejected0="$(metric "$gateway" rejected_signature)"
  hist_snapshot "$work/$name.hist0"
  f_row[$name]="$(bench_wrk "$name" "$payment_url" "$payment_pid" "$lua" \
    cycle "$work/$gateway.forged" "$pause")"
  hist_snapshot "$work/$name.hist1"
  f_server[$name]="$(server_p99 "$work/$name.hist0" "$work/$name.hist1")"
  read -r s1 e1 o1 <<< "$(counts_settled "$gateway")"
  rejected=$(($(metric "$gateway" rejected_signature) - rejected0))
  answered="$(awk '/ requests in / {print $1}' "$work/$name.out")"
  f_checks[$name]="rejected_signature +$rejected"
  if ((s1 != s0 || e1 != e0 || o1 != o0)); then
    failures+=("$name: the tables changed ($s0 $e0 $o0 -> $s1 $e1 $o1)")
  fi
  ((rejected >= answered)) ||
    failures+=("$name: $answered answered, only $rejected counted as rejected_signature")
}
for gateway in "${gateways[@]}"; do
  forged_phase "$gateway" "forged-$gateway"
done
bench_start_selftest 128
read -r l_rps l_p50 l_p99 l_max l_bad l_err l_cpu l_redis <<< \
  "$(bench_connections=$light bench_wrk trivial-light "http://127.0.0.1:$BENCH_SELFTEST_PORT" \
    "$BENCH_SELFTEST_PID" "$lua" ping "$work/payu.req" "$light_pause")"
kill "$BENCH_SELFTEST_PID" 2>/dev/null || true
wait "$BENCH_SELFTEST_PID" 2>/dev/null || true
for gateway in "${gateways[@]}"; do
  bench_connections=$light forged_phase "$gateway" "forged-light-$gateway" "$light_pause"
done
bench_rss_stop

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b ? a / b : 0}'; }
rss_mb() { awk '{printf "%.1f", $1 / 1024}' "$1" 2>/dev/null || echo "?"; }
hwm_mb="$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$payment_pid/status" 2>/dev/null || echo "?")"
echo "set-up: $webhooks attempts per gateway, P24 registered, paid and the requests signed in ${setup_seconds}s; idle ${settled_before}s later"
echo "wrk -t$bench_wrk_threads -c$bench_connections -d$bench_duration --latency (after ${bench_warmup}); pgbench -c$pgbench_clients -j$bench_wrk_threads -T$seconds -M prepared; load: $(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-30s %10s %9s %9s %9s %8s %7s %8s %9s\n' "$@"; }
row route "req/s" p50 p99 max non-2xx errors "cpu/req" "redis/req"
row "trivial /ping" "$t_rps" "$t_p50" "$t_p99" "$t_max" "$t_bad" "$t_err" "$t_cpu" "$t_redis"
row "pgbench single-row INSERT" "$pg_tps" "" "" "" "${pg_failed:-0}" "" "" ""
row "pgbench webhook transaction" "$tx_tps" "" "" "" "${tx_failed:-0}" "" "" ""
for gateway in "${gateways[@]}"; do
  # shellcheck disable=SC2086
  row "webhook $gateway" ${w_row[$gateway]}
done
for gateway in "${gateways[@]}"; do
  # shellcheck disable=SC2086
  row "forged $gateway (401)" ${f_row[forged-$gateway]}
done
row "trivial /ping, -c$light paced" "$l_rps" "$l_p50" "$l_p99" "$l_max" "$l_bad" "$l_err" "$l_cpu" "$l_redis"
for gateway in "${gateways[@]}"; do
  # shellcheck disable=SC2086
  row "forged $gateway, -c$light paced" ${f_row[forged-light-$gateway]}
done
echo "(pgbench: tps; latency average $pg_latency (INSERT), $tx_latency (webhook transaction); non-2xx column: failed transactions."
echo " cpu/req: CPU time of the server, the self-test or the Payment, per request; redis/req: Redis's)"
for gateway in "${gateways[@]}"; do
  read -r rps _ <<< "${w_row[$gateway]}"
  echo "webhook $gateway: $(ratio "$rps" "$t_rps")x trivial, $(ratio "$rps" "$pg_tps")x pgbench; ${checks[$gateway]}"
done
read -r stripe_rps _ <<< "${w_row[stripe]}"
echo "Stripe webhooks / pgbench INSERT: $(ratio "$stripe_rps" "$pg_tps") (target >= 0.5)"
echo "the webhook transaction alone in pgbench / pgbench INSERT: $(ratio "$tx_tps" "$pg_tps") (the database's ceiling for that target);" \
  "Stripe webhooks / the webhook transaction alone: $(ratio "$stripe_rps" "$tx_tps")"
for gateway in "${gateways[@]}"; do
  read -r _ _ f_p99 _ <<< "${f_row[forged-$gateway]}"
  read -r _ _ fl_p99 _ <<< "${f_row[forged-light-$gateway]}"
  echo "forged $gateway p99: $(bench_ms "$fl_p99") ms with $light connections pausing ${light_pause} ms (target < 1)," \
    "$(bench_ms "$f_p99") ms with $bench_connections; inside the service <= ${f_server[forged-light-$gateway]} ms" \
    "and <= ${f_server[forged-$gateway]} ms; ${f_checks[forged-$gateway]}, ${f_checks[forged-light-$gateway]}"
done
echo "payment peak RSS: $(rss_mb "$work/rss-load") MB under the load (target < 50); VmHWM since its start $hwm_mb MB"
if ((${#failures[@]})); then
  printf 'failed check: %s\n' "${failures[@]}" >&2
  exit 1
fi
