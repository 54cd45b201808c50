#!/usr/bin/env python3
"""Gives every bench user a one-line cart in the Warranty service (unmeasured set-up).

usage: publish_carts.py BROKERS WARRANTY_URL TOKENS LINES_OUT [TIMEOUT_S] [CONNECTIONS]

TOKENS: one dev JWT a line (the user is its `sub`). Run with .local/venv's Python (confluent-kafka).
1. For each user, one CartItemAdded on Kafka `cart-events`, as the Cart publishes it (CloudEvents
   binary mode, key = session id): contracts/events/examples/CartItemAdded.json with the user's
   own session (`bench-ws-<run>-<n>`), line id (`it-<run>-<n>`) and cart hash, a TV at
   TV_PRICE grosze (329900, category tv), quantity 1. No Cart is involved: the Warranty follows
   cart-events, whoever wrote them.
2. GET /warranty/available?item_id=<the line> per user until it answers 200 (the Warranty has
   consumed the event and opened the session).
Writes LINES_OUT ("TOKEN ITEM_ID" a line, in the order of TOKENS) and prints one line of counts,
the answer's size and how many plans it offers; exits 1 if a publish failed or a user's line was
not there within TIMEOUT_S (300). Each connection works through its own users one request at a
time (keep-alive; the HTTP client of bench/services/setup_carts.py).
"""
import asyncio
import base64
import datetime
import json
import os
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Producer

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "services"))
from setup_carts import Connection  # noqa: E402  (the shared keep-alive client)

TOPIC = "cart-events"
TV_PRICE = int(os.environ.get("TV_PRICE", "329900"))


def user_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def cart_item_added(template, run, n, user):
    event = json.loads(json.dumps(template))
    now = datetime.datetime.now(datetime.timezone.utc)
    event.update(
        session_id=f"bench-ws-{run}-{n}",
        user_id=user,
        version=1,
        traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
        occurred_at=now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        cart_hash=f"bench-{run}-{n}",
    )
    event["line"].update(item_id=f"it-{run}-{n}", category="tv", quantity=1, parent_item_id=None,
                         unit_price={"amount": TV_PRICE, "currency": "PLN"})
    return event


def publish(brokers, events):
    """Produces every event (idempotent producer, acks=all); returns the delivery errors."""
    errors = []
    producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True,
                         "linger.ms": 5, "client.id": "bench-warranty"})

    def delivered(err, _message):
        if err is not None:
            errors.append(str(err))

    for event in events:
        headers = [
            ("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())), ("ce_type", "CartItemAdded"),
            ("ce_source", "/checkout/cart"), ("ce_time", event["occurred_at"]),
            ("ce_subject", event["session_id"]), ("content-type", "application/json"),
            ("traceparent", event["traceparent"]),
        ]
        while True:
            try:
                producer.produce(TOPIC, key=event["session_id"].encode(),
                                 value=json.dumps(event, ensure_ascii=False).encode(),
                                 headers=headers, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    left = producer.flush(60)
    if left:
        errors.append(f"{left} events not delivered within 60 s")
    return errors


async def wait_lines(warranty_url, pairs, answers, deadline):
    conn = Connection(warranty_url)
    pending = list(pairs)
    while pending and time.monotonic() < deadline:
        waiting = []
        for token, item in pending:
            status, data = await conn.call("GET", f"/warranty/available?item_id={item}", token)
            if status == 200:
                answers[token] = (json.loads(data), len(data))
            else:
                waiting.append((token, item))
        pending = waiting
        if pending:
            await asyncio.sleep(0.5)
    conn.close()


async def main():
    brokers, warranty_url, tokens_file, lines_out = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 300.0
    connections = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    tokens = open(tokens_file).read().split()
    template = json.loads((REPO / "contracts/events/examples/CartItemAdded.json").read_text())
    run = uuid.uuid4().hex[:8]
    events = [cart_item_added(template, run, n, user_of(token)) for n, token in enumerate(tokens)]
    pairs = [(token, event["line"]["item_id"]) for token, event in zip(tokens, events)]
    with open(lines_out, "w") as out:
        out.writelines(f"{token} {item}\n" for token, item in pairs)

    started = time.monotonic()
    errors = publish(brokers, events)
    published = time.monotonic()
    answers = {}
    if not errors:
        deadline = published + timeout
        await asyncio.gather(*(wait_lines(warranty_url, pairs[i::connections], answers, deadline)
                               for i in range(connections)))
    sizes = [size for _, size in answers.values()]
    offers = [len(doc.get("offers", [])) for doc, _ in answers.values()]
    print(f"{len(events)} CartItemAdded published in {published - started:.1f}s"
          + (f" ({len(errors)} failed, first: {errors[0]})" if errors else "")
          + f"; {len(answers)} lines answered 200 {time.monotonic() - published:.0f}s later;"
          f" answers {min(sizes, default=0)}-{max(sizes, default=0)} bytes,"
          f" {min(offers, default=0)}-{max(offers, default=0)} plans offered")
    return 1 if errors or len(answers) != len(tokens) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
