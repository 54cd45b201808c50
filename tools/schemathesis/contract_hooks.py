"""Schemathesis hooks of the contract tests (loaded through SCHEMATHESIS_HOOKS by run_contract.py).

A valid Idempotency-Key that the generator happens to draw twice for one user (short values such
as "0" come up often) makes the service replay its first response, as RFC-draft idempotency
requires; a stateful check then follows a line id that was deleted since and reports "created
resource not found". Real clients send a fresh key per logical request, so valid keys are made
unique here; invalid ones (empty, over 255 characters) are left as drawn, so their rejection is
still tested.
"""
import uuid

import schemathesis


@schemathesis.hook
def map_headers(ctx, headers):
    if headers:
        key = headers.get("Idempotency-Key")
        if isinstance(key, str) and 1 <= len(key) <= 255:
            headers["Idempotency-Key"] = f"contract-{uuid.uuid4().hex}"
    return headers


# The Warranty (contracts/openapi/warranty.yaml) answers only for lines its copy of the cart has,
# learnt from cart-events: a user new to the run has none, so every call would be a 404 and no
# 200 answer would be checked against the file. Before the run, the driving user (the auth file's
# `contract-owner-...` entry, which run_contract.py writes into the work dir, the cwd of `st`)
# gets a cart with one TV line whose id is the file's example `item_id`, by a CartItemAdded on
# Kafka, as the Cart would publish it; the examples phase and the links then reach real plans.
# Other files are left alone; without Kafka or confluent-kafka the run goes on unseeded.
WARRANTY_TITLE = "Warranty service"


def _warranty_example_item(raw_schema):
    for parameter in raw_schema["paths"]["/warranty/available"]["get"].get("parameters", []):
        if parameter.get("name") == "item_id" and "example" in parameter:
            return parameter["example"]
    return None


def _owner_token():
    import json

    with open("auth.json", encoding="utf-8") as f:
        for entry in json.load(f)["auth"]:
            if "-owner-" in entry["name"]:
                return entry["fixedHeaders"][0]["value"].split(" ", 1)[1]
    return None


def _seed_warranty_cart(base_url, item_id):
    import base64
    import datetime
    import json
    import os
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from confluent_kafka import Producer

    token = _owner_token()
    payload = token.split(".")[1]
    user = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    root = Path(__file__).resolve().parents[2]
    event = json.loads((root / "contracts/events/examples/CartItemAdded.json").read_text(encoding="utf-8"))
    session = f"contract-warranty-{uuid.uuid4().hex[:12]}"
    event.update(session_id=session, user_id=user, version=1, cart_hash=f"contract-{session}",
                 occurred_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
                 .replace("+00:00", "Z"))
    event["line"]["item_id"] = item_id
    producer = Producer({"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092"),
                         "enable.idempotence": True})
    producer.produce("cart-events", key=session.encode(), value=json.dumps(event, ensure_ascii=False).encode(),
                     headers=[("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())),
                              ("ce_type", "CartItemAdded"), ("ce_source", "/checkout/cart"),
                              ("ce_time", event["occurred_at"]), ("ce_subject", session),
                              ("content-type", "application/json"), ("traceparent", event["traceparent"])])
    if producer.flush(20):
        raise RuntimeError("CartItemAdded not delivered within 20 s")
    request = urllib.request.Request(f"{base_url}/warranty/available?item_id={item_id}",
                                     headers={"Authorization": f"Bearer {token}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5):
                return user
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise RuntimeError("the line was not there within 30 s") from None
            time.sleep(0.2)


@schemathesis.hook
def after_load_schema(ctx, schema):
    import sys

    raw = schema.raw_schema
    if raw.get("info", {}).get("title") != WARRANTY_TITLE:
        return
    argv = sys.argv
    base_url = argv[argv.index("--url") + 1].rstrip("/") if "--url" in argv else None
    item_id = _warranty_example_item(raw)
    if not base_url or not item_id:
        return
    try:
        user = _seed_warranty_cart(base_url, item_id)
        print(f"[contract hooks] warranty: {user} has line {item_id}", flush=True)
    except Exception as e:  # noqa: BLE001  the run still checks every error answer
        print(f"[contract hooks] warranty: no seeded cart ({type(e).__name__}: {e})", flush=True)


# The Promotion (contracts/openapi/promotion.yaml) answers from its own copy of the cart, learnt
# from cart-events: a user new to the run has no session, so every write would be a 404
# (no_session) and the 200 answers of apply, apply-code and DELETE would never be checked. Before
# the run, the driving user gets a cart the shipped rules (services/promotion/config/
# promotion_rules.yaml) have something for, by CartItemAdded events on Kafka as the Cart would
# publish them: two TVs (second at half price or -10%, the 5000 zł threshold, free delivery), a
# Samsung soundbar (the TV + soundbar bundle; the AKCESORIA50 code applies to it) and a laptop
# (the opt-in laptop_newsletter_5 gives something). The hook waits until GET
# /promotions/available shows the last event's cart_hash. Other files are left alone; without
# Kafka or confluent-kafka the run goes on unseeded.
PROMOTION_TITLE = "Promotion service"
PROMOTION_CART = [  # (sku, name, category, unit price in grosze, quantity)
    ("TV-SAM-55Q80C", 'Telewizor Samsung QLED 55" QE55Q80C', "tv", 329900, 2),
    ("ACC-SB-SAM-HWQ600C", "Soundbar Samsung HW-Q600C, 3.1.2, Dolby Atmos", "accessory", 139900, 1),
    ("LT-APP-MACBOOKAIR13M2", "Laptop Apple MacBook Air 13 M2 (8 GB, 256 GB SSD, północ)", "laptop",
     504900, 1),
]


def _seed_promotion_cart(base_url):
    import base64
    import datetime
    import json
    import os
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from confluent_kafka import Producer

    token = _owner_token()
    payload = token.split(".")[1]
    user = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    root = Path(__file__).resolve().parents[2]
    template = json.loads((root / "contracts/events/examples/CartItemAdded.json").read_text(encoding="utf-8"))
    session = f"contract-promotion-{uuid.uuid4().hex[:12]}"
    producer = Producer({"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092"),
                         "enable.idempotence": True})
    cart_hash = None
    for version, (sku, name, category, price, quantity) in enumerate(PROMOTION_CART, start=1):
        event = json.loads(json.dumps(template))
        cart_hash = f"contract-{session}-{version}"
        event.update(session_id=session, user_id=user, version=version, cart_hash=cart_hash,
                     occurred_at=datetime.datetime.now(datetime.timezone.utc)
                     .isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        event["line"].update(item_id=f"it-{session}-{version}", sku=sku, name=name, category=category,
                             type="accessory" if category == "accessory" else "offer",
                             unit_price={"amount": price, "currency": "PLN"}, quantity=quantity,
                             parent_item_id=None, flags=[])
        producer.produce("cart-events", key=session.encode(),
                         value=json.dumps(event, ensure_ascii=False).encode(),
                         headers=[("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())),
                                  ("ce_type", "CartItemAdded"), ("ce_source", "/checkout/cart"),
                                  ("ce_time", event["occurred_at"]), ("ce_subject", session),
                                  ("content-type", "application/json"),
                                  ("traceparent", event["traceparent"])])
    if producer.flush(20):
        raise RuntimeError("CartItemAdded not delivered within 20 s")
    request = urllib.request.Request(f"{base_url}/promotions/available",
                                     headers={"Authorization": f"Bearer {token}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                document = json.loads(response.read())
                if document.get("cart_hash") == cart_hash:
                    return user, [applied["promotion_id"] for applied in document["applied"]]
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the cart was not there within 30 s")
        time.sleep(0.2)


@schemathesis.hook("after_load_schema")
def seed_promotion_cart(ctx, schema):
    import sys

    if schema.raw_schema.get("info", {}).get("title") != PROMOTION_TITLE:
        return
    argv = sys.argv
    base_url = argv[argv.index("--url") + 1].rstrip("/") if "--url" in argv else None
    if not base_url:
        return
    try:
        user, applied = _seed_promotion_cart(base_url)
        print(f"[contract hooks] promotion: {user} has a cart; applied: {', '.join(applied)}", flush=True)
    except Exception as e:  # noqa: BLE001  the run still checks every error answer
        print(f"[contract hooks] promotion: no seeded cart ({type(e).__name__}: {e})", flush=True)


# The Payment (contracts/openapi/payment.yaml) offers methods only for a session its copy of the
# cart has, learnt from cart-events: a user new to the run has none, so every method would be
# unavailable (`empty_cart`) and every choice a 409. Before the run, the driving user gets a cart
# with one TV line (the CartItemAdded example, as the Cart would publish it); the hook waits until
# GET /payment/available shows the session, so the examples and the links choose real methods.
# Other files are left alone; without Kafka or confluent-kafka the run goes on unseeded.
PAYMENT_TITLE = "Payment service"


def _seed_payment_cart(base_url):
    import base64
    import datetime
    import json
    import os
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    from confluent_kafka import Producer

    token = _owner_token()
    payload = token.split(".")[1]
    user = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    root = Path(__file__).resolve().parents[2]
    event = json.loads((root / "contracts/events/examples/CartItemAdded.json").read_text(encoding="utf-8"))
    session = f"contract-payment-{uuid.uuid4().hex[:12]}"
    event.update(session_id=session, user_id=user, version=1, cart_hash=f"contract-{session}",
                 occurred_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
                 .replace("+00:00", "Z"))
    event["line"]["item_id"] = f"it-{session}"
    producer = Producer({"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092"),
                         "enable.idempotence": True})
    producer.produce("cart-events", key=session.encode(), value=json.dumps(event, ensure_ascii=False).encode(),
                     headers=[("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())),
                              ("ce_type", "CartItemAdded"), ("ce_source", "/checkout/cart"),
                              ("ce_time", event["occurred_at"]), ("ce_subject", session),
                              ("content-type", "application/json"), ("traceparent", event["traceparent"])])
    if producer.flush(20):
        raise RuntimeError("CartItemAdded not delivered within 20 s")
    request = urllib.request.Request(f"{base_url}/payment/available",
                                     headers={"Authorization": f"Bearer {token}"})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                document = json.loads(response.read())
                if document.get("session_id") == session:
                    return user, [method["id"] for method in document["methods"]]
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the cart was not there within 30 s")
        time.sleep(0.2)


@schemathesis.hook("after_load_schema")
def seed_payment_cart(ctx, schema):
    import sys

    if schema.raw_schema.get("info", {}).get("title") != PAYMENT_TITLE:
        return
    argv = sys.argv
    base_url = argv[argv.index("--url") + 1].rstrip("/") if "--url" in argv else None
    if not base_url:
        return
    try:
        user, methods = _seed_payment_cart(base_url)
        print(f"[contract hooks] payment: {user} has a cart; methods: {', '.join(methods)}", flush=True)
    except Exception as e:  # noqa: BLE001  the run still checks every error answer
        print(f"[contract hooks] payment: no seeded cart ({type(e).__name__}: {e})", flush=True)


# The Checkout (contracts/openapi/checkout.yaml) answers its writes
# only for a session its copy has, learnt from cart-events. Seed one TV line for the owner.
CHECKOUT_TITLE = "Checkout service"


def _seed_checkout_cart(base_url):
    import base64
    import datetime
    import json
    import os
    import time
    import urllib.request
    from pathlib import Path

    from confluent_kafka import Producer

    token = _owner_token()
    payload = token.split(".")[1]
    user = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    root = Path(__file__).resolve().parents[2]
    event = json.loads((root / "contracts/events/examples/CartItemAdded.json").read_text(encoding="utf-8"))
    session = f"contract-checkout-{uuid.uuid4().hex[:12]}"
    event.update(session_id=session, user_id=user, version=1, cart_hash=f"contract-{session}",
                 occurred_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")
                 .replace("+00:00", "Z"))
    event["line"]["item_id"] = f"it-{session}"
    producer = Producer({"bootstrap.servers": os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092"),
                         "enable.idempotence": True})
    producer.produce("cart-events", key=session.encode(), value=json.dumps(event, ensure_ascii=False).encode(),
                     headers=[("ce_specversion", "1.0"), ("ce_id", str(uuid.uuid4())),
                              ("ce_type", "CartItemAdded"), ("ce_source", "/checkout/cart"),
                              ("ce_time", event["occurred_at"]), ("ce_subject", session),
                              ("content-type", "application/json"), ("traceparent", event["traceparent"])])
    if producer.flush(20):
        raise RuntimeError("CartItemAdded not delivered within 20 s")
    request = urllib.request.Request(f"{base_url}/checkout/summary?cart_version=1&wait_ms=5000",
                                     headers={"Authorization": f"Bearer {token}"})
    # A new consumer group reads every topic from its start: other tests' events come first.
    deadline = time.monotonic() + 240
    while True:
        with urllib.request.urlopen(request, timeout=10) as response:
            document = json.loads(response.read())
            if document.get("session_id") == session:
                return user, session
        if time.monotonic() > deadline:
            raise RuntimeError("the cart was not there within 240 s")


@schemathesis.hook("after_load_schema")
def seed_checkout_cart(ctx, schema):
    import sys

    if schema.raw_schema.get("info", {}).get("title") != CHECKOUT_TITLE:
        return
    argv = sys.argv
    base_url = argv[argv.index("--url") + 1].rstrip("/") if "--url" in argv else None
    try:
        user, session = _seed_checkout_cart(base_url)
        print(f"[contract hooks] checkout: {user} has session {session}", flush=True)
    except Exception as e:  # noqa: BLE001
        print(f"[contract hooks] checkout: no seeded cart ({type(e).__name__}: {e})", flush=True)
