#!/usr/bin/env bash
# Benchmarks the HTTP kit's trivial route (bench/http_selftest, GET /ping) against nginx serving a
# static file of the same size, in the same run, with the same wrk load; prints req/s, p50 and
# p99 for both and the ratio selftest/nginx (target >= 1.2).
#
#   bench/http_vs_nginx.sh [path/to/http_selftest]
# Env: BENCH_BODY_BYTES (128), HTTP_THREADS (2), WRK_THREADS (2), WRK_CONNECTIONS (64),
#      WRK_DURATION (10s), WRK_WARMUP (2s), ROUNDS (3), TARGET_RATIO (1.2).
# The two servers are measured alternately ROUNDS times and the medians are compared, because on
# a shared 2-core box a single run swings with the neighbours' load. CPU time per request (from
# /proc, both servers' processes) is printed too: it is far less sensitive to that noise.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
selftest="${1:-${HTTP_SELFTEST_BIN:-$repo/build/bench/http_selftest/http_selftest}}"
body_bytes="${BENCH_BODY_BYTES:-128}"
threads="${HTTP_THREADS:-2}"
wrk_threads="${WRK_THREADS:-2}"
connections="${WRK_CONNECTIONS:-64}"
duration="${WRK_DURATION:-10s}"
warmup="${WRK_WARMUP:-2s}"
rounds="${ROUNDS:-3}"
target="${TARGET_RATIO:-1.2}"
clk_tck="$(getconf CLK_TCK)"

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -x "$selftest" ]] || { echo "no selftest binary at $selftest (build target http_selftest)" >&2; exit 2; }

work="$(mktemp -d /tmp/http_vs_nginx.XXXXXX)"
selftest_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$selftest_pid" ]] && kill "$selftest_pid" 2>/dev/null && wait "$selftest_pid" 2>/dev/null
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Polls until the URL answers 200, for at most 10 s.
wait_ready() {
  local url="$1" deadline=$((SECONDS + 10))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" == "200" ]]; do
    (( SECONDS < deadline )) || { echo "not ready: $url" >&2; exit 1; }
    sleep 0.05
  done
}

# The exact body the selftest serves, so both answer with the same byte count.
python3 - "$body_bytes" > "$work/ping" <<'PY'
import sys
size = int(sys.argv[1])
head, tail = '{"status":"ok","pad":"', '"}'
sys.stdout.write(head + "x" * max(0, size - len(head) - len(tail)) + tail)
PY

selftest_port="$(free_port)"
HTTP_PORT="$selftest_port" HTTP_THREADS="$threads" BENCH_BODY_BYTES="$body_bytes" LOG_LEVEL=warn \
  "$selftest" > "$work/selftest.log" 2>&1 &
selftest_pid=$!

nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs" "$work/www"
cp "$work/ping" "$work/www/ping"
# nginx workers may run as another user (nobody) when started as root.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/ping"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  keepalive_timeout 65s;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = /ping { default_type application/json; }
  }
}
CONF
nginx -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" &
nginx_pid=$!

wait_ready "http://127.0.0.1:$selftest_port/ping"
wait_ready "http://127.0.0.1:$nginx_port/ping"
selftest_size="$(curl -s "http://127.0.0.1:$selftest_port/ping" | wc -c)"
nginx_size="$(curl -s "http://127.0.0.1:$nginx_port/ping" | wc -c)"
if [[ "$selftest_size" != "$nginx_size" ]]; then
  echo "body sizes differ: selftest $selftest_size, nginx $nginx_size" >&2
  exit 1
fi

# CPU ticks (user + system) used so far by the given processes and all their threads.
cpu_ticks() {
  local total=0 task fields
  for pid in "$@"; do
    for task in /proc/"$pid"/task/*; do
      read -r -a fields < "$task/stat" || continue
      total=$((total + fields[13] + fields[14]))
    done
  done
  echo "$total"
}

# measure URL OUT PID...: warm-up, then the measured run; appends "rps p50 p99 us_per_request".
measure() {
  local url="$1" out="$2"; shift 2
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" "$url" > /dev/null
  local before after
  before="$(cpu_ticks "$@")"
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$url" > "$out.last"
  after="$(cpu_ticks "$@")"
  if grep -q "Non-2xx\|Socket errors" "$out.last"; then
    echo "warning: errors against $url:" >&2
    grep "Non-2xx\|Socket errors" "$out.last" >&2
  fi
  awk -v ticks=$((after - before)) -v hz="$clk_tck" '
    /requests in/ {n=$1} /Requests\/sec:/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2}
    END {printf "%s %s %s %.2f\n", rps, p50, p99, ticks * 1e6 / hz / n}' "$out.last" >> "$out"
}

nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
for ((round = 1; round <= rounds; round++)); do
  measure "http://127.0.0.1:$selftest_port/ping" "$work/selftest.txt" "$selftest_pid"
  # shellcheck disable=SC2086
  measure "http://127.0.0.1:$nginx_port/ping" "$work/nginx.txt" $nginx_pids
done

# The median round by req/s: "rps p50 p99 us_per_request".
median() { sort -g "$1" | awk '{rows[NR]=$0} END {print rows[int((NR + 1) / 2)]}'; }
read -r s_rps s_p50 s_p99 s_cpu <<< "$(median "$work/selftest.txt")"
read -r n_rps n_p50 n_p99 n_cpu <<< "$(median "$work/nginx.txt")"
ratio="$(python3 -c "print(f'{$s_rps / $n_rps:.2f}')")"
cpu_ratio="$(python3 -c "print(f'{$n_cpu / $s_cpu:.2f}')")"
echo "body ${selftest_size} B; wrk -t$wrk_threads -c$connections -d$duration --latency, $rounds alternating rounds (median shown); selftest threads $threads, nginx workers 2; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %12s %10s %10s %14s   %s\n' server "req/s" p50 p99 "cpu us/req" "all rounds (req/s)"
printf '%-9s %12s %10s %10s %14s   %s\n' selftest "$s_rps" "$s_p50" "$s_p99" "$s_cpu" "$(awk '{printf "%s ", $1}' "$work/selftest.txt")"
printf '%-9s %12s %10s %10s %14s   %s\n' nginx "$n_rps" "$n_p50" "$n_p99" "$n_cpu" "$(awk '{printf "%s ", $1}' "$work/nginx.txt")"
echo "ratio selftest/nginx: $ratio req/s (target >= $target); CPU per request nginx/selftest: $cpu_ratio"
python3 -c "import sys; sys.exit(0 if $ratio >= $target else 1)" || echo "BELOW TARGET"
