#!/usr/bin/env python3
"""Orders placed per second: ready checkout sessions prepared through Kafka, then finalized at once.

usage:
  orders.py setup WORK --brokers B --checkout URL --redis HOST:PORT --run RUN --lines L
                  --hot-stock K [--timeout S] [--connections C (12)]
  orders.py fire CHECKOUT_URL TOKENS OUT_PREFIX [--connections C] [--idempotency]

setup (unmeasured; run with .local/venv's Python, confluent-kafka): WORK holds many.tokens and
hot.tokens (one dev JWT a line, the user is its `sub`).
 1. The bench's catalog: one record per PRODUCTS entry (common.py) as
    catalog:product:{BENCH-FIN-<RUN>-<SUFFIX}} with stock 100,000,000, and the hot product
    BENCH-FIN-<RUN>-HOT (a phone) with stock K. All skus go to WORK/skus.
 2. For each user, the events the Cart, the Shipping and the Payment would have published for a
    customer who is ready to order (their contract examples' shapes, CloudEvents binary mode,
    keyed by the session `bench-fin-<RUN>-<m|h><n>`): L CartItemAdded (a phone or a laptop, then
    accessories; hot users: one hot phone), ShippingMethodSelected (courier, cash on delivery
    allowed, to an address, a day required), ShippingAddressProvided, DeliveryDateSelected,
    PaymentMethodSelected (cash_on_delivery, fee 5 zł). No Cart, Shipping or Payment involved:
    the Checkout folds whatever arrives on its topics (the other dev services follow the cart
    events too, as they would).
 3. Per user, on the Checkout's own API: GET /checkout/summary?cart_version=L&shipping_version=3
    &payment_version=1&wait_ms=10000 until complete (the session exists and has every event),
    POST /checkout/customer-data, POST /checkout/consents, and GET /checkout/summary again, which
    must say "ready":true.
 Fewer than 16 connections (BACKGROUND_GIVE_WAY_AT): with more requests in flight the
 Checkout's consumer would give way to them and fold one event per 10 ms.
 Prints one line of counts and timings; exits 1 if a publish failed or a session did not become
 ready within --timeout (300 s). Writes WORK/many.ready and WORK/hot.ready (the tokens of ready
 sessions, in a random order).

fire: POST /checkout/finalize?wait_ms=0 once for every token of TOKENS, over C keep-alive
connections (closed loop: each connection sends its next request when the last one answered),
cash on delivery: no payment redirect to wait for. With --idempotency each request carries an
Idempotency-Key, as a browser would. Writes OUT_PREFIX.ms (each request's time, ms) and prints one
JSON line: sent, answers by status and problem type, seconds from the first request to the last
answer, orders per second (201s / seconds), p50/p99/max, and this process's own CPU time.
"""
import argparse
import asyncio
import json
import random
import resource
import sys
import time
import uuid

from urllib.parse import urlsplit

from common import (ADDRESS, CONSENTS, CUSTOMER, PRODUCTS, Conn, Redis, describe, head,
                    now_rfc3339, pct, product_record, publish, traceparent, user_of)

BIG_STOCK = 100_000_000
HOT = ("HOT", "Smartfon w promocji", "phone", "offer", 49900, 200, (72, 150, 8))


def session_events(session, user, lines):
    """The events of a ready session: its cart, delivery and payment."""
    events = []

    def base(version):
        return {"session_id": session, "user_id": user, "version": version,
                "traceparent": traceparent(), "occurred_at": now_rfc3339()}

    for version, (sku, name, category, kind, price, weight, dims) in enumerate(lines, start=1):
        data = base(version)
        data["cart_hash"] = f"h-{session}-{version}"
        data["line"] = {
            "item_id": f"it-{session}-{version}", "type": kind, "sku": sku, "name": name,
            "category": category, "unit_price": {"amount": price, "currency": "PLN"},
            "quantity": 1, "parent_item_id": None, "weight_g": weight,
            "dimensions_mm": {"width": dims[0], "height": dims[1], "depth": dims[2]},
            "flags": [], "validation": "validated"}
        events.append(("cart-events", "CartItemAdded", data))
    method = base(1)
    method.update(cart_hash=f"h-{session}-{len(lines)}", method_id="courier", method_name="Kurier",
                  price={"amount": 0, "currency": "PLN"}, cash_on_delivery_allowed=True,
                  destination="address", delivery_date_required=True)
    address = base(2)
    address.update(address=ADDRESS, parcel_locker=None)
    day = base(3)
    day.update(method_id="courier", postal_code=ADDRESS["postal_code"], delivery_date="2027-01-12",
               time_window={"from": "08:00", "to": "18:00"},
               surcharge={"amount": 0, "currency": "PLN"})
    payment = base(1)
    payment.update(method_id="cash_on_delivery", gateway=None,
                   fee={"amount": 500, "currency": "PLN"})
    events += [("shipping-events", "ShippingMethodSelected", method),
               ("shipping-events", "ShippingAddressProvided", address),
               ("shipping-events", "DeliveryDateSelected", day),
               ("payment-events", "PaymentMethodSelected", payment)]
    return events


def ready_flag(summary):
    at = summary.rfind(b'"ready":')
    return summary.startswith(b'"ready":true', at) if at >= 0 else False


async def make_ready(conn, token, cart_version, failures):
    """The session's events folded, the customer's data and consents given; True when ready."""
    wait = head("GET", f"/checkout/summary?cart_version={cart_version}&shipping_version=3"
                       f"&payment_version=1&wait_ms=10000", token)
    for _ in range(30):
        status, answer = await conn.request(wait)
        if status == 200 and b'"freshness":{"complete":true' in answer:
            break
    else:
        failures.append(f"never complete: {status} {answer[-300:].decode(errors='replace')}")
        return False
    for path, body in (("/checkout/customer-data", CUSTOMER), ("/checkout/consents", CONSENTS)):
        status, answer = await conn.request(head("POST", path, token, body), body)
        if status != 200:
            failures.append(f"{path}: {status} {answer[:300].decode(errors='replace')}")
            return False
    status, answer = await conn.request(head("GET", "/checkout/summary", token))
    if status != 200 or not ready_flag(answer):
        failures.append(f"not ready: {status} {answer[:600].decode(errors='replace')}")
        return False
    return True


async def setup(args):
    host, port = args.redis.split(":")
    redis = Redis(host, int(port))
    skus, products = [], {}
    for entry in PRODUCTS + [HOT]:
        suffix, name, category, kind, price, weight, dims = entry
        sku = f"BENCH-FIN-{args.run.upper()}-{suffix}"
        stock = args.hot_stock if suffix == "HOT" else BIG_STOCK
        redis.call("SET", "catalog:product:{" + sku + "}",
                   json.dumps(product_record(sku, name, category, price, weight, dims, stock),
                              ensure_ascii=False))
        skus.append(sku)
        products[suffix] = (sku, name, category, kind, price, weight, dims)
    redis.close()
    with open(f"{args.work}/skus", "w") as out:
        out.writelines(f"{sku}\n" for sku in skus)

    goods = [products["PHONE"], products["LAPTOP"]]
    extras = [products["CABLE"], products["CASE"]]
    plans = []  # (group, token, cart version)
    events = []
    for group in ("many", "hot"):
        tokens = open(f"{args.work}/{group}.tokens").read().split()
        for n, token in enumerate(tokens):
            session = f"bench-fin-{args.run}-{group[0]}{n}"
            if group == "hot":
                lines = [products["HOT"]]
            else:
                lines = [random.choice(goods)] + random.sample(extras, min(args.lines - 1, 2))
            events.append(session_events(session, user_of(token), lines))
            plans.append((group, token, len(lines)))
    # Session by session, so that each session's events leave close together.
    flat = [event for session in events for event in session]
    started = time.monotonic()
    errors = publish(args.brokers, flat, "bench-finalize")
    published = time.monotonic()
    if errors:
        print(f"publish failed: {len(errors)} errors, first: {errors[0]}")
        return 1

    failures, ready = [], {"many": [], "hot": []}
    queue = list(plans)
    deadline = published + args.timeout
    parts = urlsplit(args.checkout)

    async def worker():
        conn = await Conn(parts.hostname, parts.port).open()
        while queue and time.monotonic() < deadline:
            group, token, version = queue.pop()
            try:
                if await make_ready(conn, token, version, failures):
                    ready[group].append(token)
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
                failures.append(f"{type(error).__name__}: {error}")
                conn.close()
                conn = await Conn(parts.hostname, parts.port).open()
        conn.close()

    await asyncio.gather(*(worker() for _ in range(args.connections)))
    done = time.monotonic()
    for group, tokens in ready.items():
        random.shuffle(tokens)
        with open(f"{args.work}/{group}.ready", "w") as out:
            out.writelines(f"{t}\n" for t in tokens)
    print(f"{len(flat)} events for {len(plans)} sessions published in {published - started:.1f}s;"
          f" {len(ready['many'])} + {len(ready['hot'])} sessions ready {done - published:.1f}s"
          f" later; {len(failures)} failed" + (f" (first: {failures[0]})" if failures else ""))
    return 1 if failures or len(queue) else 0


async def fire(args):
    tokens = open(args.tokens).read().split()
    parts = urlsplit(args.checkout_url)
    requests = []
    for token in tokens:
        extra = (b"Idempotency-Key: fin-" + uuid.uuid4().hex.encode() + b"\r\n"
                 if args.idempotency else b"")
        requests.append(head("POST", "/checkout/finalize?wait_ms=0", token, b"", extra))
    conns = [await Conn(parts.hostname, parts.port).open() for _ in range(args.connections)]
    latencies, answers, errors = [], {}, []
    order_ids = []
    next_index = 0
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)

    async def worker(conn):
        nonlocal next_index
        while next_index < len(requests):
            request = requests[next_index]
            next_index += 1
            sent = time.perf_counter()
            try:
                status, answer = await conn.request(request)
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                conn.close()
                conn = await Conn(parts.hostname, parts.port).open()
                continue
            latencies.append((time.perf_counter() - sent) * 1000)
            if status == 201:
                key = "201"
                order_ids.append(answer)
            else:
                try:
                    problem = json.loads(answer).get("type", "").rsplit("/", 1)[-1]
                except ValueError:
                    problem = "?"
                key = f"{status} {problem}"
            answers[key] = answers.get(key, 0) + 1
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(conn) for conn in conns))
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    with open(args.out_prefix + ".ms", "w") as out:
        out.writelines(f"{ms:.3f}\n" for ms in latencies)
    with open(args.out_prefix + ".orders", "w") as out:
        for answer in order_ids:
            out.write(json.loads(answer)["order_id"] + "\n")
    created = answers.get("201", 0)
    print(json.dumps({
        "sent": len(requests), "answers": answers, "errors": len(errors),
        "first_error": errors[0] if errors else None, "seconds": round(seconds, 3),
        "orders_per_s": round(created / seconds, 1) if seconds else 0,
        "requests_per_s": round(len(latencies) / seconds, 1) if seconds else 0,
        "p50_ms": round(pct(latencies, .5), 2), "p99_ms": round(pct(latencies, .99), 2),
        "max_ms": round(max(latencies, default=0), 2),
        "client_cpu_s": round(cpu_after.ru_utime + cpu_after.ru_stime
                              - cpu_before.ru_utime - cpu_before.ru_stime, 2),
        "summary": describe(latencies)}))
    return 1 if errors else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("work")
    s.add_argument("--brokers", required=True)
    s.add_argument("--checkout", required=True)
    s.add_argument("--redis", required=True)
    s.add_argument("--run", required=True)
    s.add_argument("--lines", type=int, default=2)
    s.add_argument("--hot-stock", type=int, required=True)
    s.add_argument("--timeout", type=float, default=300)
    s.add_argument("--connections", type=int, default=12)
    f = sub.add_parser("fire")
    f.add_argument("checkout_url")
    f.add_argument("tokens")
    f.add_argument("out_prefix")
    f.add_argument("--connections", type=int, default=64)
    f.add_argument("--idempotency", action="store_true")
    args = parser.parse_args()
    return asyncio.run(setup(args) if args.command == "setup" else fire(args))


if __name__ == "__main__":
    sys.exit(main())
