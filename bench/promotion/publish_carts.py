#!/usr/bin/env python3
"""Gives every bench user a cart in the Promotion service (unmeasured set-up).

usage: publish_carts.py BROKERS PROMOTION_URL TOKENS USERS_OUT [TIMEOUT_S] [CONNECTIONS]

TOKENS: one dev JWT a line (the user is its `sub`). Run with .local/venv's Python (confluent-kafka).
1. For each user, one CartItemAdded per line of CART below on Kafka `cart-events`, as the Cart
   publishes them (CloudEvents binary mode, key = session id, versions 1, 2, 3, each with its
   own cart hash): contracts/events/examples/CartItemAdded.json with the user's own session
   (`bench-ps-<run>-<n>`), line ids and hashes. No Cart is involved: the Promotion follows
   cart-events, whoever wrote them. The cart is one the shipped rules
   (services/promotion/config/promotion_rules.yaml) have several promotions for: two TVs, a
   Samsung soundbar and a laptop.
2. GET /promotions/available per user until its `cart_hash` is the last event's (the Promotion
   has followed the whole cart and written the user's answer).
Writes USERS_OUT (the token a line, in the order of TOKENS) and prints one line of counts, the
answer's size and how many promotions it applies; exits 1 if a publish failed or a user's cart
was not there within TIMEOUT_S (300). The producer is bench/warranty/publish_carts.py's, the
keep-alive HTTP client bench/services/setup_carts.py's.
"""
import asyncio
import base64
import datetime
import importlib.util
import json
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "services"))
from setup_carts import Connection  # noqa: E402  (the shared keep-alive client)

_spec = importlib.util.spec_from_file_location("warranty_publish_carts",
                                               REPO / "bench" / "warranty" / "publish_carts.py")
_warranty = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_warranty)
publish = _warranty.publish  # every event as a CartItemAdded on cart-events, idempotent producer

CART = [  # (sku, name, category, unit price in grosze, quantity): the sample catalog's
    ("TV-SAM-55Q80C", 'Telewizor Samsung QLED 55" QE55Q80C', "tv", 329900, 2),
    ("ACC-SB-SAM-HWQ600C", "Soundbar Samsung HW-Q600C, 3.1.2, Dolby Atmos", "accessory", 139900, 1),
    ("LT-APP-MACBOOKAIR13M2", "Laptop Apple MacBook Air 13 M2 (8 GB, 256 GB SSD, północ)", "laptop",
     504900, 1),
]


def user_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


def cart_events(template, run, n, user):
    events = []
    session = f"bench-ps-{run}-{n}"
    for version, (sku, name, category, price, quantity) in enumerate(CART, start=1):
        event = json.loads(json.dumps(template))
        event.update(
            session_id=session,
            user_id=user,
            version=version,
            traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
            occurred_at=datetime.datetime.now(datetime.timezone.utc)
            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            cart_hash=f"bench-{run}-{n}-{version}",
        )
        event["line"].update(item_id=f"it-{run}-{n}-{version}", sku=sku, name=name, category=category,
                             type="accessory" if category == "accessory" else "offer",
                             unit_price={"amount": price, "currency": "PLN"}, quantity=quantity,
                             parent_item_id=None, flags=[])
        events.append(event)
    return events


async def wait_carts(promotion_url, pairs, answers, deadline):
    conn = Connection(promotion_url)
    pending = list(pairs)
    while pending and time.monotonic() < deadline:
        waiting = []
        for token, cart_hash in pending:
            status, data = await conn.call("GET", "/promotions/available", token)
            document = json.loads(data) if status == 200 else {}
            if document.get("cart_hash") == cart_hash:
                answers[token] = (document, len(data))
            else:
                waiting.append((token, cart_hash))
        pending = waiting
        if pending:
            await asyncio.sleep(0.5)
    conn.close()


async def main():
    brokers, promotion_url, tokens_file, users_out = sys.argv[1:5]
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 300.0
    connections = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    tokens = open(tokens_file).read().split()
    template = json.loads((REPO / "contracts/events/examples/CartItemAdded.json").read_text())
    run = uuid.uuid4().hex[:8]
    carts = [cart_events(template, run, n, user_of(token)) for n, token in enumerate(tokens)]
    # Line by line over all users: each session's events stay in order (one key, one partition).
    events = [cart[i] for i in range(len(CART)) for cart in carts]
    pairs = [(token, cart[-1]["cart_hash"]) for token, cart in zip(tokens, carts)]
    with open(users_out, "w") as out:
        out.writelines(f"{token}\n" for token in tokens)

    started = time.monotonic()
    errors = publish(brokers, events)
    published = time.monotonic()
    answers = {}
    if not errors:
        deadline = published + timeout
        await asyncio.gather(*(wait_carts(promotion_url, pairs[i::connections], answers, deadline)
                               for i in range(connections)))
    sizes = [size for _, size in answers.values()]
    applied = [len(doc.get("applied", [])) for doc, _ in answers.values()]
    print(f"{len(events)} CartItemAdded ({len(CART)} lines x {len(tokens)} users) published in"
          f" {published - started:.1f}s"
          + (f" ({len(errors)} failed, first: {errors[0]})" if errors else "")
          + f"; {len(answers)} carts followed {time.monotonic() - published:.0f}s later;"
          f" answers {min(sizes, default=0)}-{max(sizes, default=0)} bytes,"
          f" {min(applied, default=0)}-{max(applied, default=0)} promotions applied")
    return 1 if errors or len(answers) != len(tokens) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
