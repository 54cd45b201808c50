#!/usr/bin/env python3
"""Kafka's own produce-to-consume latency on a broker, at a steady rate.

usage: kafka_latency.py BROKERS RATE WARMUP_S MEASURE_S OUT [LINGER_MS] [FETCH_WAIT_MS]

One process, one clock: a producer (acks=all, idempotent, linger.ms LINGER_MS: the kit's
KAFKA_LINGER_MS, default 5, so the hop is the one the Cart's events take) sends RATE messages a
second, each carrying its send time, to a topic of its own (bench-checkout-probe-<pid>, one
partition, created here and deleted at the end), and a consumer (assigned to the end of that
topic, no group; fetch.wait.max.ms FETCH_WAIT_MS, the kit's KAFKA_FETCH_WAIT_MAX_MS, 100) reads
them on a thread of its own. A sample is produce() called -> message consumed, in milliseconds.

Prints "ready" on stdout once a first message went through (the caller starts its own load
then), runs WARMUP_S seconds unrecorded, then MEASURE_S seconds recorded, waits up to 5 s for
the last messages and writes the samples, one a line, to OUT. Then it prints
"sent N, received M, lost L, achieved R msg/s". Exits 1 when a message is lost.
"""
import os
import struct
import sys
import threading
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def main():
    brokers, rate, warmup, measure, out = sys.argv[1:6]
    rate, warmup, measure = float(rate), float(warmup), float(measure)
    linger = sys.argv[6] if len(sys.argv) > 6 else "5"
    fetch_wait = sys.argv[7] if len(sys.argv) > 7 else "100"
    topic = f"bench-checkout-probe-{os.getpid()}"
    # log_level 4: not the informational lines librdkafka prints when a client closes.
    admin = AdminClient({"bootstrap.servers": brokers, "log_level": 4})
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    consumer = producer = reader = None
    stop = threading.Event()
    arrived = {}  # sequence number -> consumed time (perf_counter)
    errors = []
    try:
        deadline = time.monotonic() + 30
        while True:
            meta = admin.list_topics(topic, timeout=10).topics.get(topic)
            if meta and not meta.error and meta.partitions and all(
                    p.leader >= 0 for p in meta.partitions.values()):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"topic {topic} has no leader after 30 s")
            time.sleep(0.2)
        consumer = Consumer({"bootstrap.servers": brokers, "group.id": topic,
                             "enable.auto.commit": False, "fetch.wait.max.ms": fetch_wait,
                             "log_level": 4})
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
        consumer.assign([TopicPartition(topic, 0, high)])
        producer = Producer({"bootstrap.servers": brokers, "linger.ms": linger, "acks": "all",
                             "enable.idempotence": True, "log_level": 4})

        def consume():
            while not stop.is_set():
                message = consumer.poll(0.05)
                if message is None:
                    continue
                now = time.perf_counter()
                if message.error():
                    errors.append(str(message.error()))
                    continue
                arrived[struct.unpack(">q", message.value()[:8])[0]] = now

        reader = threading.Thread(target=consume, daemon=True)
        reader.start()
        sent_at = {}  # sequence number -> produce() time

        def send(number):
            sent_at[number] = time.perf_counter()
            producer.produce(topic, value=struct.pack(">q", number))
            producer.poll(0)

        # Until the consumer fetches from the partition it was given.
        for warm in range(-50, 0):
            send(warm)
            end = time.monotonic() + 2
            while warm not in arrived and time.monotonic() < end:
                time.sleep(0.005)
            if warm in arrived:
                break
        else:
            raise RuntimeError("the probe topic's messages never arrived")
        print("ready", flush=True)

        interval = 1.0 / rate
        start = time.perf_counter()
        recorded_from = start + warmup
        total = int((warmup + measure) * rate)
        first_recorded = None
        for number in range(total):
            due = start + number * interval
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if first_recorded is None and due >= recorded_from:
                first_recorded = number
            send(number)
        producer.flush(10)
        ended = time.perf_counter()
        end = time.monotonic() + 5
        while time.monotonic() < end and len([n for n in range(first_recorded, total)
                                              if n in arrived]) < total - first_recorded:
            time.sleep(0.05)
        samples = [(arrived[n] - sent_at[n]) * 1000 for n in range(first_recorded, total)
                   if n in arrived]
        with open(out, "w") as f:
            f.writelines(f"{s:.3f}\n" for s in samples)
        expected = total - first_recorded
        achieved = expected / (ended - recorded_from) if ended > recorded_from else 0
        print(f"sent {expected}, received {len(samples)}, lost {expected - len(samples)}, "
              f"achieved {achieved:.0f} msg/s" + (f"; errors: {errors[:3]}" if errors else ""))
        return 0 if len(samples) == expected else 1
    finally:
        stop.set()
        if reader is not None:
            reader.join()
        if consumer is not None:
            consumer.close()
        if producer is not None:
            producer.flush(5)
        try:
            admin.delete_topics([topic])[topic].result(30)
        except KafkaException as error:
            print(f"could not delete {topic}: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
