#!/usr/bin/env bash
# Benchmarks placing orders (POST /checkout/finalize) on the dev stack, in two parts, beside
# pgbench's TPS on the same PostgreSQL in the same run.
#  1. Orders per second: ready checkout sessions are prepared through Kafka
#     (bench/finalize/orders.py setup: each session's cart, delivery and payment events as the
#     Cart, the Shipping and the Payment publish them, then the customer data and consents on the
#     Checkout's own API, until its summary says "ready":true), then:
#     - many sessions: MANY_SESSIONS finalizes (carts of LINES lines of the bench's own products,
#       courier to an address on a chosen day, cash on delivery), each once, over
#       FINALIZE_CONNECTIONS keep-alive connections at once (bench/finalize/orders.py fire: a
#       closed loop; each connection sends its next request when the last one answered): orders
#       per second (201s / seconds from the first request to the last answer), p50/p99;
#     - a hot product: HOT_SESSIONS sessions, each with one unit of the same product that has
#       HOT_STOCK units, finalized at once the same way: exactly HOT_STOCK answers 201 and the
#       others 409 out_of_stock, exactly HOT_STOCK orders with that sku in PostgreSQL
#       (checkout.orders.stock_items) and held + sold == HOT_STOCK in the ledger
#       (checkout:stock:{SKU}): 0 oversold.
#     Also each process's CPU time per order during the many-sessions burst beyond what it spends
#     idle (the services, Redis, the Kafka broker's JVM, PostgreSQL with its backends).
#  2. Whole checkouts per second through the real services (bench/finalize/checkouts.py): CUSTOMERS
#     customers at once, each doing one checkout after another as a browser would (two adds, the
#     cart, the delivery methods once the Shipping has followed the cart, courier, address,
#     calendar and day, the payment methods once the Payment has followed the delivery, cash on
#     delivery, the checkout page, customer data, consents, the summary once ready, finalize), for
#     CHECKOUT_WARMUP + CHECKOUT_SECONDS seconds: completed checkouts per second in the measured
#     window, the whole checkout's and each step's p50/p99, polls, failures, CPU per checkout by
#     process (beyond idle).
# Baseline (after part 1, on a settled stack): pgbench -M prepared -c PGBENCH_CLIENTS -j 2, a
# single-row INSERT of an order-sized row per transaction (bench/finalize/pgbench_order.sql: the
# jsonb document of an order this run placed) into a scratch table of the bench's own schema,
# WRK_WARMUP then WRK_DURATION. Orders per second are reported as a ratio to its TPS.
# Peak resident memory (VmRSS polled every 0.2 s) of every service while they follow the set-up's
# events, under the finalize bursts and under the checkouts. At the end the ledger of every bench
# sku is checked against the orders in PostgreSQL (held + sold == the units ordered).
# Targets (2 cores): >= 1,000 orders/s for many sessions; 0 oversold; >= 800 checkouts/s.
#
# Needs the dev stack running (./dev up: Redis, Kafka, PostgreSQL, the Cart, Shipping, Payment
# and Checkout at least; every running dev service is waited for when settling and watched for
# CPU and RSS): it measures the dev stack's own services, whose consumers follow the events it
# publishes. The bench's products are catalog records of its own (catalog:product:{BENCH-FIN-
# <RUN>-...}, stock 100,000,000; the hot one HOT_STOCK), its users bench-fin-<run>-m<n> (many),
# -h<n> (hot), -c<n> (checkouts).
# Settling waits until every running dev service's outbox and consumer lag are zero and no Redis
# AOF rewrite runs, for 6 s in a row (bench/lib.sh), before each measured phase. At the end (also
# after a failure) it settles again, deletes every Redis key of the run (bench/finalize/
# cleanup.py: the keys tagged with its users, sessions, cart hashes and skus, in every service),
# its orders (checkout.orders, order_history, their published outbox rows, payment.orders) and the
# pgbench schema.
# A run takes two and a half to four minutes (longer when other tenants keep the cores busy).
#
# Needs: curl, redis-cli, psql, pgbench, python3, the build (dev_token), confluent-kafka in
# .local/venv (./dev install).
# Env: BENCH_PROFILE (dev; the only one it runs in), MANY_SESSIONS (4000), LINES (2),
#      HOT_SESSIONS (1000), HOT_STOCK (100), FINALIZE_CONNECTIONS (64), IDEMPOTENCY (0; 1: every
#      finalize carries an Idempotency-Key), CUSTOMERS (64), CHECKOUT_WARMUP (5),
#      CHECKOUT_SECONDS (20), CHECKOUT_USERS (20000: the most checkouts it may start), POLL_MS
#      (25), PGBENCH_CLIENTS (64), WRK_WARMUP (2s), WRK_DURATION (10s), SETTLE_TIMEOUT (600 s),
#      SKIP_CHECKOUTS (0; 1 skips part 2).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
profile="${BENCH_PROFILE:-${CHECKOUT_PROFILE:-dev}}"
# shellcheck source=scripts/env.sh
source "$repo/scripts/env.sh" "$profile"
# shellcheck source=bench/lib.sh
source "$repo/bench/lib.sh"
many="${MANY_SESSIONS:-4000}"
lines="${LINES:-2}"
hot="${HOT_SESSIONS:-1000}"
hot_stock="${HOT_STOCK:-100}"
connections="${FINALIZE_CONNECTIONS:-64}"
customers="${CUSTOMERS:-64}"
checkout_warmup="${CHECKOUT_WARMUP:-5}"
checkout_seconds="${CHECKOUT_SECONDS:-20}"
checkout_users="${CHECKOUT_USERS:-20000}"
poll_ms="${POLL_MS:-25}"
pgbench_clients="${PGBENCH_CLIENTS:-64}"
venv_python="$repo/.local/venv/bin/python"
here="$repo/bench/finalize"

[[ "$profile" == dev ]] ||
  { echo "bench/finalize.sh measures the dev stack: BENCH_PROFILE=dev (./dev bench)" >&2; exit 2; }
bench_require_tools curl python3 redis-cli psql pgbench
[[ -x "$bench_dev_token_bin" ]] || { echo "build first (./dev build)" >&2; exit 2; }
"$venv_python" -c 'import confluent_kafka' 2>/dev/null ||
  { echo "confluent-kafka missing in .local/venv (./dev install)" >&2; exit 2; }

declare -A ports=([cart]=8101 [shipping]=8102 [payment]=8103 [checkout]=8104 [promotion]=8105
                  [services]=8106 [warranty]=8107)
declare -A svc_pid=()
metrics=()
for name in cart shipping payment checkout promotion services warranty; do
  url="http://127.0.0.1:${ports[$name]}"
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" == 200 ]]; then
    svc_pid[$name]="$(bench_service_pid "$name" "services/$name/${name}_service")"
    metrics+=("$url/metrics")
  elif [[ " cart shipping payment checkout " == *" $name "* ]]; then
    echo "not ready: the dev $name at $url (run ./dev up)" >&2
    exit 2
  fi
done
infra_pid() { cat "$repo/.local/run/$1.pid" 2>/dev/null || true; }
declare -A infra=([redis]="$(infra_pid redis)" [kafka]="$(infra_pid kafka)"
                  [postgres]="$(infra_pid postgres)")

run="$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
marker="bench-fin-$run"
schema="bench_finalize_$run"
bench_workdir finalize_bench
work="$BENCH_WORK"
touched=0
sql() { psql "$PG_DSN" -v ON_ERROR_STOP=1 -qAtc "$1"; }
cleanup() {
  local status=$?
  set +e
  bench_stop_helpers
  if ((touched)); then
    SETTLE_TIMEOUT=120 bench_settle "${metrics[@]}" > /dev/null
    (cd "$here" && python3 cleanup.py "$REDIS_HOST:$REDIS_PORT" "$marker" "$work/tags") > /dev/null
    sql "DELETE FROM checkout.outbox WHERE published_at IS NOT NULL AND key IN
           (SELECT session_id FROM checkout.orders WHERE user_id LIKE '$marker-%');
         DELETE FROM checkout.order_history WHERE order_id IN
           (SELECT order_id FROM checkout.orders WHERE user_id LIKE '$marker-%');
         DELETE FROM checkout.orders WHERE user_id LIKE '$marker-%';" > /dev/null
    if [[ -n "$(sql "SELECT to_regclass('payment.orders')")" ]]; then
      sql "DELETE FROM payment.orders o WHERE user_id LIKE '$marker-%' AND NOT EXISTS
             (SELECT 1 FROM payment.transactions t WHERE t.order_id = o.order_id)" > /dev/null
    fi
  fi
  sql "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1
  rm -rf "$work"
  return "$status"
}
trap cleanup EXIT

# CPU time (clock ticks) of a process and everything below it; a parent's waited-for children
# count too (PostgreSQL's backends that ended).
tree_ticks() {
  local p
  ps -eo pid=,ppid= | awk -v root="$1" '
    {parent[$1] = $2; pids[NR] = $1}
    END {for (i in pids) {q = pids[i]; while (q != "" && q != 0 && q != root) q = parent[q]
                           if (q == root) print pids[i]}}' |
    while read -r p; do
      if [[ "$p" == "$1" ]]; then awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null
      else awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; fi
    done | awk '{s += $1} END {print s + 0}'
}
# cpu_snapshot FILE: "@ <seconds since the epoch>", then "name ticks" for every running service
# and the infrastructure.
cpu_snapshot() {
  local name
  echo "@ $(date +%s.%N)" > "$1"
  for name in "${!svc_pid[@]}"; do echo "$name $(tree_ticks "${svc_pid[$name]}")"; done >> "$1"
  for name in "${!infra[@]}"; do
    [[ -n "${infra[$name]}" ]] && echo "$name $(tree_ticks "${infra[$name]}")" >> "$1"
  done
  return 0
}
# cpu_per UNITS BEFORE AFTER: "name=ms" of CPU per unit beyond what the process spends idle
# (its rate between the snapshots cpu-idle-0 and cpu-idle-1, taken on the settled stack before
# the first phase), largest first, and the total.
cpu_per() {
  python3 - "$1" "$2" "$3" "$work/cpu-idle-0" "$work/cpu-idle-1" "$(getconf CLK_TCK)" <<'PY'
import sys
units, hz = float(sys.argv[1]), float(sys.argv[6])
def load(path):
    rows = dict(line.split() for line in open(path))
    return float(rows.pop("@")), {k: float(v) for k, v in rows.items()}
(t0, before), (t1, after), (i0, idle0), (i1, idle1) = (load(p) for p in sys.argv[2:6])
net, raw = {}, 0.0
for name in after:
    used = after[name] - before.get(name, 0)
    idle = (idle1.get(name, 0) - idle0.get(name, 0)) * (t1 - t0) / (i1 - i0)
    net[name] = max(0.0, used - idle) * 1000 / hz / units
    raw += used * 1000 / hz / units
parts = [f"{k}={v:.2f}" for k, v in sorted(net.items(), key=lambda kv: -kv[1])]
print(f"TOTAL={sum(net.values()):.2f} (with idle {raw:.2f}) " + " ".join(parts))
PY
}
# rss_watch FILE: polls every service's VmRSS every 0.2 s; FILE holds "name peak_kB" lines.
rss_watch() {
  (
    declare -A peak=()
    while sleep 0.2; do
      changed=0
      for name in "${!svc_pid[@]}"; do
        rss=0
        while read -r key value _; do
          [[ "$key" == VmRSS: ]] && rss=$value && break
        done < "/proc/${svc_pid[$name]}/status" 2>/dev/null
        if ((rss > ${peak[$name]:-0})); then peak[$name]=$rss; changed=1; fi
      done
      if ((changed)); then
        for name in "${!peak[@]}"; do echo "$name ${peak[$name]}"; done > "$1.tmp"
        mv "$1.tmp" "$1"
      fi
    done
  ) &
  rss_watcher=$!
  bench_helper_pids+=("$rss_watcher")
}
rss_stop() { kill "$rss_watcher" 2>/dev/null || true; wait "$rss_watcher" 2>/dev/null || true; }
rss_line() { sort "$1" 2>/dev/null | awk '{printf "%s %.1f MB  ", $1, $2 / 1024}'; }
# The machine's state: its load average and, where the kernel reports it, the share of the last
# 10 s in which some task waited for a CPU (other tenants share these two cores).
machine() {
  local pressure=""
  [[ -r /proc/pressure/cpu ]] &&
    pressure=", CPU pressure $(awk -F'[ =]' '/^some/ {print $3}' /proc/pressure/cpu)%"
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)$pressure"
}
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

echo "run $run; services: ${!svc_pid[*]}; $(machine)"
settled_before="$(bench_settle "${metrics[@]}")"
cpu_snapshot "$work/cpu-idle-0"
sleep 5
cpu_snapshot "$work/cpu-idle-1"

# Part 1: set-up.
"$bench_dev_token_bin" --many "$marker-m" "$many" > "$work/many.tokens"
"$bench_dev_token_bin" --many "$marker-h" "$hot" > "$work/hot.tokens"
touched=1
rss_watch "$work/rss-setup"
setup_result="$(cd "$here" && "$venv_python" orders.py setup "$work" --brokers "$KAFKA_BROKERS" \
  --checkout "http://127.0.0.1:8104" --redis "$REDIS_HOST:$REDIS_PORT" --run "$run" \
  --lines "$lines" --hot-stock "$hot_stock")" ||
  { echo "set-up failed: $setup_result" >&2; exit 1; }
settled_setup="$(bench_settle "${metrics[@]}")"
rss_stop
rss_watch "$work/rss-orders"
hot_sku="$(grep -- '-HOT$' "$work/skus")"

# Part 1: many sessions.
idempotency=()
[[ "${IDEMPOTENCY:-0}" == 1 ]] && idempotency=(--idempotency)
cpu_snapshot "$work/cpu-many-0"
many_result="$(cd "$here" && "$venv_python" orders.py fire http://127.0.0.1:8104 \
  "$work/many.ready" "$work/many" --connections "$connections" "${idempotency[@]}")" ||
  { echo "finalize failed: $many_result" >&2; exit 1; }
cpu_snapshot "$work/cpu-many-1"
many_load="$(machine)"
settled_many="$(bench_settle "${metrics[@]}")"

# Part 1: the hot product.
hot_result="$(cd "$here" && "$venv_python" orders.py fire http://127.0.0.1:8104 \
  "$work/hot.ready" "$work/hot" --connections "$connections" "${idempotency[@]}")" ||
  { echo "finalize (hot) failed: $hot_result" >&2; exit 1; }
rss_stop
settled_hot="$(bench_settle "${metrics[@]}")"
hot_orders="$(sql "SELECT count(*) FROM checkout.orders
                   WHERE stock_items @> '[{\"sku\": \"$hot_sku\"}]'")"
read -r hot_held hot_sold <<< \
  "$("${bench_redis[@]}" hmget "checkout:stock:{$hot_sku}" held sold | tr '\n' ' ')"

# Baseline: pgbench with the document of an order just placed.
sql "CREATE SCHEMA $schema;
     CREATE TABLE $schema.order_template AS SELECT document FROM checkout.orders
       WHERE user_id LIKE '$marker-m%' LIMIT 1;
     CREATE TABLE $schema.orders_scratch (order_id text PRIMARY KEY, document jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now());"
doc_bytes="$(sql "SELECT length(document::text) || ' B (' || pg_column_size(document)
                         || ' B stored)'
                  FROM checkout.orders WHERE user_id LIKE '$marker-m%' LIMIT 1")"
pgbench_run() {
  PGOPTIONS="-c search_path=$schema" pgbench -n -M prepared -c "$pgbench_clients" \
    -j "$bench_wrk_threads" -T "$1" -f "$here/pgbench_order.sql" "$PG_DSN" 2>&1
}
pgbench_run "${bench_warmup%s}" > /dev/null
pgbench_run "${bench_duration%s}" > "$work/pgbench.out"
pg_tps="$(awk '/^tps = / {printf "%.0f", $3; exit}' "$work/pgbench.out")"
pg_latency="$(awk '/^latency average/ {print $4 " " $5}' "$work/pgbench.out")"
[[ -n "$pg_tps" ]] || { echo "pgbench failed:" >&2; cat "$work/pgbench.out" >&2; exit 1; }
sql "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" > /dev/null

# Part 2: whole checkouts.
checkouts_result=""
settled_baseline="-"
settled_checkouts="-"
if [[ "${SKIP_CHECKOUTS:-0}" != 1 ]]; then
  settled_baseline="$(bench_settle "${metrics[@]}")"
  "$bench_dev_token_bin" --many "$marker-c" "$checkout_users" > "$work/checkout.tokens"
  rss_watch "$work/rss-checkouts"
  cpu_snapshot "$work/cpu-checkouts-0"
  checkouts_result="$(cd "$here" && "$venv_python" checkouts.py "$work/checkout.tokens" \
    "$work/skus" "$work" --cart http://127.0.0.1:8101 --shipping http://127.0.0.1:8102 \
    --payment http://127.0.0.1:8103 --checkout http://127.0.0.1:8104 --customers "$customers" \
    --warmup "$checkout_warmup" --measure "$checkout_seconds" --poll-ms "$poll_ms")" ||
    { echo "checkouts failed: $checkouts_result" >&2; exit 1; }
  cpu_snapshot "$work/cpu-checkouts-1"
  checkouts_load="$(machine)"
  rss_stop
  settled_checkouts="$(bench_settle "${metrics[@]}")"
fi

# The ledger of every bench sku against the orders placed.
ledger_lines=""
while read -r sku; do
  ordered="$(sql "SELECT coalesce(sum((item->>'quantity')::bigint), 0)
                  FROM checkout.orders, jsonb_array_elements(stock_items) item
                  WHERE user_id LIKE '$marker-%' AND item->>'sku' = '$sku'")"
  read -r held sold <<< \
    "$("${bench_redis[@]}" hmget "checkout:stock:{$sku}" held sold | tr '\n' ' ')"
  ledger_lines+="$sku ${ordered:-0} ${held:-0} ${sold:-0}"$'\n'
done < "$work/skus"

echo "== POST /checkout/finalize (run $run)"
echo "set-up: $setup_result"
secs() { [[ "$1" =~ ^[0-9]+$ ]] && echo "${1}s" || echo "$1"; }
echo "idle (outboxes and consumer lags at zero) $(secs "$settled_before") after the start," \
  "$(secs "$settled_setup") after the set-up, $(secs "$settled_many") after the many sessions'" \
  "burst, $(secs "$settled_hot") after the hot product's, $(secs "$settled_baseline") after" \
  "pgbench, $(secs "$settled_checkouts") after the checkouts"
echo "baseline: pgbench -M prepared -c $pgbench_clients -j $bench_wrk_threads" \
  "-T ${bench_duration%s}," \
  "one single-row INSERT of an order's document ($doc_bytes) a transaction: $pg_tps TPS" \
  "(latency average $pg_latency)"
report_status=0
python3 - "$many_result" "$hot_result" "$pg_tps" "$hot_stock" "$hot_orders" "${hot_held:-0}" \
  "${hot_sold:-0}" "$many" "$hot" "$connections" "$lines" \
  "$(cpu_per "$(field "$many_result" sent)" "$work/cpu-many-0" "$work/cpu-many-1")" \
  "$(rss_line "$work/rss-orders")" "$ledger_lines" "$many_load" "${IDEMPOTENCY:-0}" \
  "$(rss_line "$work/rss-setup")" \
  <<'PY' || report_status=$?
import json, sys
many, hot = json.loads(sys.argv[1]), json.loads(sys.argv[2])
tps, stock, orders, held, sold = float(sys.argv[3]), *(int(x) for x in sys.argv[4:8])
n_many, n_hot, conns, lines = sys.argv[8:12]
cpu, rss, ledger, load, idem, rss_setup = sys.argv[12:18]
ok = lambda b: "yes" if b else "NO"  # noqa: E731
def answers(r):
    return ", ".join(f"{k}: {v}" for k, v in sorted(r["answers"].items()))
rate = many["orders_per_s"]
print(f"many sessions: {n_many} ready sessions ({lines}-line carts, courier, cash on delivery),"
      f" {conns} connections{', Idempotency-Key' if idem == '1' else ''}; {load}")
print(f"  {rate:.0f} orders/s ({answers(many)}; {many['seconds']} s), p50 {many['p50_ms']} ms,"
      f" p99 {many['p99_ms']} ms, max {many['max_ms']} ms; load generator CPU"
      f" {many['client_cpu_s']} s")
print(f"  / pgbench TPS: {rate / tps:.3f}x; target >= 1000 orders/s: {ok(rate >= 1000)}")
print(f"  CPU per finalize beyond idle (ms) by process: {cpu}")
created = hot["answers"].get("201", 0)
short = hot["answers"].get("409 out_of_stock", 0)
oversold = max(0, held + sold - stock, orders - stock, created - stock)
print(f"hot product: {n_hot} sessions for {stock} units at once: {answers(hot)};"
      f" {hot['requests_per_s']:.0f} answers/s, p50 {hot['p50_ms']} ms, p99 {hot['p99_ms']} ms")
print(f"  orders with it in PostgreSQL: {orders}; ledger held {held} + sold {sold} ="
      f" {held + sold}; oversold: {oversold} (target 0: {ok(oversold == 0)});"
      f" all units sold: {ok(created == stock == orders == held + sold)}")
mismatched = []
for line in ledger.strip().splitlines():
    sku, ordered, h, s = line.split()
    if int(ordered) != int(h) + int(s):
        mismatched.append(f"{sku} ordered {ordered}, held {h} + sold {s}")
print(f"ledger against the orders, every bench sku: "
      + ("held + sold == units ordered" if not mismatched else "MISMATCH " + "; ".join(mismatched)))
print(f"peak RSS under the finalize bursts: {rss}")
print(f"peak RSS while the services followed the set-up's events: {rss_setup}")
sys.exit(0 if oversold == 0 and not mismatched and created == stock else 1)
PY
if [[ -n "$checkouts_result" ]]; then
  echo "== whole checkouts through the Cart, Shipping, Payment and Checkout"
  python3 - "$checkouts_result" "$(cpu_per "$(field "$checkouts_result" completed_total)" \
    "$work/cpu-checkouts-0" "$work/cpu-checkouts-1")" "$(rss_line "$work/rss-checkouts")" \
    "$checkouts_load" "$pg_tps" <<'PY' || report_status=$?
import json, sys
r = json.loads(sys.argv[1])
cpu, rss, load = sys.argv[2:5]
tps = float(sys.argv[5])
rate = r["checkouts_per_s"]
print(f"{r['customers']} customers at once, {r['measured_s']:.0f} s measured:"
      f" {rate:.1f} checkouts/s"
      f" ({r['completed_in_window']} completed in the window; {r['completed_total']} of"
      f" {r['started_total']} started in all; failures: {r['failures'] or 'none'});"
      f" target >= 800/s: {'yes' if rate >= 800 else 'NO'}; {load}")
print(f"  / pgbench TPS: {rate / tps:.4f}x; whole checkout p50 {r['whole_p50_ms']} ms,"
      f" p99 {r['whole_p99_ms']} ms")
print("  step              p50 ms    p99 ms")
for name, s in r["steps"].items():
    print(f"  {name:16} {s['p50']:8.1f} {s['p99']:9.1f}")
print(f"  polls (a service had not followed the events yet; asked again after the poll interval):"
      f" {r['polls'] or 'none'}; load generator CPU {r['client_cpu_s']} s")
print(f"  CPU per checkout beyond idle (ms) by process: {cpu}")
print(f"  peak RSS: {rss}")
sys.exit(1 if r["failures"] else 0)
PY
fi
exit "$report_status"
