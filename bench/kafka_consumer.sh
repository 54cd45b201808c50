#!/usr/bin/env bash
# The kit's Kafka consumer working through a backlog (bench/kafka_consumer), against librdkafka's
# own consume loop reading the same backlog in the same run. Needs the dev broker (./dev up).
# Env: KAFKA_BROKERS (127.0.0.1:9092), BENCH_EVENTS (50000), KAFKA_PREFETCH_KBYTES (4096).
# Each run writes its backlog to a topic of its own (bench-consumer-<random>) and leaves it there.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bench="$repo/build/bench/kafka_consumer/kafka_consumer_bench"
[[ -x "$bench" ]] || { echo "build first (./dev build)" >&2; exit 2; }
"$bench"
echo "with KAFKA_PREFETCH_KBYTES=16384 (librdkafka 2.0 waits 1 s once its prefetch is full):"
KAFKA_PREFETCH_KBYTES=16384 "$bench" | tail -2
