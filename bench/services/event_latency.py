#!/usr/bin/env python3
"""How long the Services take to answer a cart change on Kafka, beside Kafka's own hop.

usage: event_latency.py BROKERS CART_URL TOKENS SKUS SAMPLES [LINGER_MS] [FETCH_WAIT_MS]

One consumer (assigned, no group) reads cart-events, services-events and a probe topic of its own
(bench-services-probe-<pid>, created here with one partition and deleted at the end). SAMPLES
times, one at a time:
1. a user adds a product line (POST /cart/items; users from TOKENS in turn, each adding distinct
   skus from SKUS, "SKU CATEGORY" lines, so their carts grow to SAMPLES/users lines);
2. the consumer sees the Cart's CartItemAdded for that user and cart version, and then the
   Services' ServiceAvailabilityCalculated for that cart version (or a later one);
3. a message is produced to the probe topic (librdkafka with LINGER_MS, the kit's KAFKA_LINGER_MS,
   default 5) and the same consumer sees it;
then a random pause of 0-50 ms, so the samples fall at any phase of the services' polling.

Measures, on one clock (this process's):
  services hop: CartItemAdded seen -> ServiceAvailabilityCalculated seen. Both reach the same
                consumer, so this is one Kafka hop (the Services consuming cart-events) plus the
                Services' work and their outbox relay (OUTBOX_POLL_INTERVAL_MS, 50) and producer;
  kafka hop:    produce() called -> message seen, Kafka's own produce-to-consume time;
  end to end:   POST /cart/items answered -> ServiceAvailabilityCalculated seen (adds the Cart's
                own relay and Kafka hop before the Services).
Prints p50/p99/max of each and the ratio services/kafka; exits 1 if a sample timed out (10 s).
The services hop is also split by the event's own times (wall clock, millisecond precision): until
the Services evaluated the cart (ServiceAvailabilityCalculated's occurred_at, just before their
commit), then in their outbox until the relay produced it (the Kafka message's timestamp), then
Kafka's delivery to this consumer.
FETCH_WAIT_MS (the kit's KAFKA_FETCH_WAIT_MAX_MS, 100) only bounds an idle fetch: a fetch is
answered as soon as a message arrives.
"""
import base64
import datetime
import http.client
import json
import math
import os
import random
import sys
import threading
import time
from urllib.parse import urlsplit

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CART_TOPIC, SERVICES_TOPIC = "cart-events", "services-events"
TIMEOUT_S = 10.0


def user_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def header(message, name):
    for key, value in message.headers() or []:
        if key == name:
            return value.decode() if isinstance(value, bytes) else value
    return None


class Seen:
    """What the consumer thread saw, by (user, cart version) and by probe number."""

    def __init__(self, users):
        self.users = users
        self.added = {}  # (user, cart version) -> (time, wall clock)
        # user -> [(cart version, time, wall clock, occurred_at, Kafka timestamp)]
        self.calculated = {}
        self.probes = {}  # probe number -> time
        self.changed = threading.Condition()
        self.stop = False
        self.errors = []

    def run(self, consumer):
        while not self.stop:
            message = consumer.poll(0.1)
            if message is None:
                continue
            now, wall = time.monotonic(), time.time()
            if message.error():
                self.errors.append(str(message.error()))
                continue
            topic = message.topic()
            with self.changed:
                if topic == CART_TOPIC:
                    if header(message, "ce_type") == "CartItemAdded":
                        data = json.loads(message.value())
                        if data.get("user_id") in self.users:
                            self.added[(data["user_id"], data["version"])] = (now, wall)
                elif topic == SERVICES_TOPIC:
                    if header(message, "ce_type") == "ServiceAvailabilityCalculated":
                        data = json.loads(message.value())
                        if data.get("user_id") in self.users:
                            occurred = datetime.datetime.fromisoformat(
                                data["occurred_at"].replace("Z", "+00:00")).timestamp()
                            self.calculated.setdefault(data["user_id"], []).append(
                                (data["cart_version"], now, wall, occurred,
                                 message.timestamp()[1] / 1000))
                else:
                    self.probes[int(message.value())] = now
                self.changed.notify_all()

    def wait(self, predicate):
        deadline = time.monotonic() + TIMEOUT_S
        with self.changed:
            while True:
                found = predicate()
                if found is not None or time.monotonic() >= deadline:
                    return found
                self.changed.wait(0.05)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def describe(values):
    if not values:
        return "no samples"
    return (f"p50 {percentile(values, 0.5):6.1f} ms, p99 {percentile(values, 0.99):6.1f} ms, "
            f"max {max(values):6.1f} ms")


def main():
    brokers, cart_url, tokens_file, skus_file, samples = sys.argv[1:6]
    samples = int(samples)
    linger = sys.argv[6] if len(sys.argv) > 6 else "5"
    fetch_wait = sys.argv[7] if len(sys.argv) > 7 else "100"
    tokens = open(tokens_file).read().split()
    users = {user_of(t): t for t in tokens}
    skus = [line.split()[0] for line in open(skus_file) if line.strip()]
    per_user = math.ceil(samples / len(tokens))
    plans = {t: random.sample(skus, per_user) for t in tokens}

    probe_topic = f"bench-services-probe-{os.getpid()}"
    # log_level 4: not the informational lines librdkafka prints when the client closes.
    admin = AdminClient({"bootstrap.servers": brokers, "log_level": 4})
    admin.create_topics([NewTopic(probe_topic, 1, 1)])[probe_topic].result(30)
    consumer = producer = seen = reader = None
    try:
        deadline = time.monotonic() + 30
        while True:
            meta = admin.list_topics(probe_topic, timeout=10).topics.get(probe_topic)
            if meta and not meta.error and meta.partitions and all(
                    p.leader >= 0 for p in meta.partitions.values()):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"topic {probe_topic} has no leader after 30 s")
            time.sleep(0.2)

        consumer = Consumer({"bootstrap.servers": brokers, "group.id": probe_topic,
                             "enable.auto.commit": False, "fetch.wait.max.ms": fetch_wait})
        assignment = []
        for topic in (CART_TOPIC, SERVICES_TOPIC, probe_topic):
            partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
            for p in partitions:
                _, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                assignment.append(TopicPartition(topic, p, high))
        consumer.assign(assignment)
        producer = Producer({"bootstrap.servers": brokers, "linger.ms": linger,
                             "acks": "all", "enable.idempotence": True})

        seen = Seen(set(users))
        reader = threading.Thread(target=seen.run, args=(consumer,), daemon=True)
        reader.start()

        def probe(number):
            started = time.monotonic()
            producer.produce(probe_topic, value=str(number).encode())
            producer.poll(0)
            arrived = seen.wait(lambda: seen.probes.get(number))
            return None if arrived is None else (arrived - started) * 1000

        # Until the consumer fetches from every partition it was given.
        for warm in range(-20, 0):
            if probe(warm) is not None:
                break
        else:
            raise RuntimeError("the probe topic's message never arrived")

        cart = urlsplit(cart_url)
        conn = http.client.HTTPConnection(cart.hostname, cart.port, timeout=10)
        hops, kafka, e2e, missing, failed = [], [], [], 0, []
        committing, relaying, delivering = [], [], []
        for i in range(samples):
            token = tokens[i % len(tokens)]
            user = user_of(token)
            body = json.dumps({"type": "offer", "sku": plans[token][i // len(tokens)],
                               "quantity": 1})
            conn.request("POST", "/cart/items", body,
                         {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = conn.getresponse()
            answer = response.read()
            answered = time.monotonic()
            if response.status != 201:
                failed.append(f"{response.status} {answer[:200].decode(errors='replace')}")
                continue
            version = json.loads(answer)["cart_version"]
            calculated = seen.wait(lambda: next(
                (c for c in seen.calculated.get(user, []) if c[0] >= version), None))
            added = seen.added.get((user, version))
            if calculated is None or added is None:
                missing += 1
            else:
                _, arrived, arrived_wall, occurred, produced = calculated
                hops.append((arrived - added[0]) * 1000)
                e2e.append((arrived - answered) * 1000)
                committing.append((occurred - added[1]) * 1000)
                relaying.append((produced - occurred) * 1000)
                delivering.append((arrived_wall - produced) * 1000)
            hop = probe(i)
            if hop is None:
                missing += 1
            else:
                kafka.append(hop)
            time.sleep(random.uniform(0, 0.05))

        print(f"{samples} adds by {len(tokens)} users (carts of 1-{per_user} lines), "
              f"{len(failed)} failed" + (f" (first: {failed[0]})" if failed else "")
              + f", {missing} not seen within {TIMEOUT_S:.0f} s"
              + (f"; consumer errors: {seen.errors[:3]}" if seen.errors else ""))
        print(f"  CartItemAdded -> ServiceAvailabilityCalculated: {describe(hops)}")
        print(f"    of which until the Services evaluated (its occurred_at): {describe(committing)}")
        print(f"             then in the outbox until produced (Kafka timestamp): {describe(relaying)}")
        print(f"             then produced -> seen: {describe(delivering)}")
        print(f"  Kafka produce -> consume (linger.ms={linger}):   {describe(kafka)}")
        if hops and kafka:
            print(f"  ratio services hop / Kafka hop: p50 "
                  f"{percentile(hops, 0.5) / percentile(kafka, 0.5):.1f}x, p99 "
                  f"{percentile(hops, 0.99) / percentile(kafka, 0.99):.1f}x")
        print(f"  POST /cart/items answered -> ServiceAvailabilityCalculated: {describe(e2e)}")
        return 1 if failed or missing else 0
    finally:
        if reader is not None:
            seen.stop = True
            reader.join()
        if consumer is not None:
            consumer.close()
        if producer is not None:
            producer.flush(5)
        try:
            admin.delete_topics([probe_topic])[probe_topic].result(30)
        except KafkaException as error:
            print(f"could not delete {probe_topic}: {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
