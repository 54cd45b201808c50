#!/usr/bin/env python3
"""Whole checkouts per second through the real services, step by step.

usage: checkouts.py TOKENS SKUS OUT_DIR --cart URL --shipping URL --payment URL --checkout URL
                    [--customers C] [--warmup S] [--measure S] [--drain S] [--poll-ms MS]

TOKENS: one dev JWT a line, one per checkout (a new user each time; users are taken in order).
SKUS: the bench's catalog skus (orders.py setup wrote them; BENCH-FIN-<RUN>-PHONE, -LAPTOP, -CABLE,
-CASE with a stock that does not run out).
C customers (64) at once, each doing one checkout after another with no pause, for WARMUP (5) +
MEASURE (20) seconds; then no new checkout starts and those under way get DRAIN (30) seconds to
finish. A checkout, as a browser would drive it (each service on its own keep-alive connection;
no Idempotency-Key):
  add_1            POST /cart/items (a phone or a laptop)                          Cart
  add_2            POST /cart/items (an accessory)                                 Cart
  view_cart        GET /cart (its cart_hash)                                       Cart
  delivery_methods GET /shipping/available, again every POLL_MS until it shows that cart_hash
                   (the Shipping has followed the Cart's events)                   Shipping
  choose_delivery  POST /shipping/select courier                                   Shipping
  address          POST /shipping/address                                          Shipping
  calendar         GET /shipping/calendar?method=courier&postal_code=00-514        Shipping
  day              POST /shipping/set-date, the first day offered (the next on a 422)  Shipping
  payment_methods  GET /payment/available, again every POLL_MS until cash_on_delivery is among
                   its methods (the Payment has followed the cart and the delivery method)  Payment
  payment          POST /payment/select cash_on_delivery                           Payment
  checkout_page    GET /checkout/summary?cart_version=<add_2's>&wait_ms=5000 (the Checkout
                   answers once it has followed the cart: no polling)              Checkout
  customer_data    POST /checkout/customer-data (again after POLL_MS on 409 cart_empty)  Checkout
  consents         POST /checkout/consents                                         Checkout
  summary          GET /checkout/summary?cart_version=&shipping_version=&payment_version=
                   &wait_ms=5000 until complete and "ready":true                    Checkout
  finalize         POST /checkout/finalize?wait_ms=0 -> 201                        Checkout
A step's time includes its polls. A checkout whose step answers anything else is abandoned and
counted by step and status.
Writes OUT_DIR/steps.json ({step: [ms, ...]} of the checkouts started in the measured window and
finished) and OUT_DIR/tags (the session ids and cart hashes seen, for the clean-up), and prints one
JSON line:
checkouts completed in the window per second, their whole time p50/p99, each step's p50/p99 and
polls, failures, and this process's CPU time.
"""
import argparse
import asyncio
import json
import resource
import sys
import time
from urllib.parse import urlsplit

from common import ADDRESS, CONSENTS, CUSTOMER, Conn, describe, head, pct

STEPS = ["add_1", "add_2", "view_cart", "delivery_methods", "choose_delivery", "address",
         "calendar", "day", "payment_methods", "payment", "checkout_page", "customer_data",
         "consents", "summary", "finalize"]


class Failed(Exception):
    pass


class Customer:
    def __init__(self, urls, skus, poll):
        self.conns = {name: Conn(*hostport(url)) for name, url in urls.items()}
        self.goods = [s for s in skus if s.endswith(("-PHONE", "-LAPTOP"))]
        self.extras = [s for s in skus if s.endswith(("-CABLE", "-CASE"))]
        self.poll = poll
        self.polls = {}
        self.tags = set()  # the sessions and cart hashes the services key their data by

    async def call(self, service, step, request, body=b""):
        try:
            return await self.conns[service].request(request, body)
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            self.conns[service].close()
            raise Failed(f"{step} {type(error).__name__}") from error

    async def expect(self, service, step, request, body=b"", status=200):
        got, answer = await self.call(service, step, request, body)
        if got != status:
            raise Failed(f"{step} {got} {problem(answer)}")
        return answer

    async def checkout(self, token, n):
        times = {}
        clock = time.perf_counter

        async def step(name, work):
            started = clock()
            result = await work
            times[name] = (clock() - started) * 1000
            return result

        good, extra = self.goods[n % len(self.goods)], self.extras[n % len(self.extras)]
        for name, kind, sku in (("add_1", "offer", good), ("add_2", "accessory", extra)):
            body = ('{"type":"%s","sku":"%s","quantity":1}' % (kind, sku)).encode()
            answer = await step(name, self.expect("cart", name, head("POST", "/cart/items", token,
                                                                     body), body, 201))
        cart_version = json.loads(answer)["cart_version"]
        cart = json.loads(await step("view_cart", self.expect("cart", "view_cart",
                                                              head("GET", "/cart", token))))
        cart_hash = cart["cart_hash"]
        self.tags.update(t for t in (cart_hash, cart.get("session_id")) if t)

        async def delivery_methods():
            request = head("GET", "/shipping/available", token)
            while True:
                doc = json.loads(await self.expect("shipping", "delivery_methods", request))
                if doc.get("cart_hash") == cart_hash:
                    self.tags.add(doc["session_id"])
                    return doc
                await self.wait("delivery_methods")

        await step("delivery_methods", delivery_methods())
        body = b'{"method":"courier"}'
        await step("choose_delivery", self.expect(
            "shipping", "choose_delivery", head("POST", "/shipping/select", token, body), body))
        body = json.dumps({"address": ADDRESS}, ensure_ascii=False).encode()
        await step("address", self.expect("shipping", "address",
                                          head("POST", "/shipping/address", token, body), body))
        calendar = json.loads(await step("calendar", self.expect(
            "shipping", "calendar",
            head("GET", "/shipping/calendar?method=courier&postal_code=00-514", token))))
        days = [d["date"] for d in calendar["days"] if d["available"]]

        async def day():
            for date in days:
                body = ('{"date":"%s"}' % date).encode()
                got, answer = await self.call("shipping", "day",
                                              head("POST", "/shipping/set-date", token, body), body)
                if got == 200:
                    return answer
                if got != 422:
                    raise Failed(f"day {got} {problem(answer)}")
            raise Failed("day no_day_accepted")

        shipping_version = json.loads(await step("day", day()))["version"]

        async def payment_methods():
            request = head("GET", "/payment/available", token)
            while True:
                doc = json.loads(await self.expect("payment", "payment_methods", request))
                if any(m["id"] == "cash_on_delivery" for m in doc.get("methods", [])):
                    return doc
                await self.wait("payment_methods")

        await step("payment_methods", payment_methods())
        body = b'{"method":"cash_on_delivery"}'
        payment_version = json.loads(await step("payment", self.expect(
            "payment", "payment", head("POST", "/payment/select", token, body), body)))["version"]

        async def checkout_page():
            request = head("GET", f"/checkout/summary?cart_version={cart_version}&wait_ms=5000",
                           token)
            for _ in range(10):
                answer = await self.expect("checkout", "checkout_page", request)
                if b'"freshness":{"complete":true' in answer:
                    return answer
                await self.wait("checkout_page")
            raise Failed("checkout_page never_complete")

        await step("checkout_page", checkout_page())

        async def customer_data():
            request = head("POST", "/checkout/customer-data", token, CUSTOMER)
            while True:
                got, answer = await self.call("checkout", "customer_data", request, CUSTOMER)
                if got == 200:
                    return answer
                if got != 409:
                    raise Failed(f"customer_data {got} {problem(answer)}")
                await self.wait("customer_data")

        await step("customer_data", customer_data())
        await step("consents", self.expect(
            "checkout", "consents", head("POST", "/checkout/consents", token, CONSENTS), CONSENTS))

        async def summary():
            request = head("GET", f"/checkout/summary?cart_version={cart_version}"
                                  f"&shipping_version={shipping_version}"
                                  f"&payment_version={payment_version}&wait_ms=5000", token)
            for _ in range(10):
                answer = await self.expect("checkout", "summary", request)
                if b'"freshness":{"complete":true' in answer and b'"ready":true' in answer:
                    return answer
                await self.wait("summary")
            raise Failed("summary never_ready")

        await step("summary", summary())
        await step("finalize", self.expect(
            "checkout", "finalize", head("POST", "/checkout/finalize?wait_ms=0", token, b""), b"",
            201))
        return times

    async def wait(self, name):
        self.polls[name] = self.polls.get(name, 0) + 1
        await asyncio.sleep(self.poll)


def hostport(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port


def problem(answer):
    try:
        return json.loads(answer).get("type", "").rsplit("/", 1)[-1] or answer[:120].decode()
    except ValueError:
        return answer[:120].decode(errors="replace")


async def run(args):
    tokens = open(args.tokens).read().split()
    skus = open(args.skus).read().split()
    urls = {"cart": args.cart, "shipping": args.shipping, "payment": args.payment,
            "checkout": args.checkout}
    customers = [Customer(urls, skus, args.poll_ms / 1000) for _ in range(args.customers)]
    for customer in customers:
        for conn in customer.conns.values():
            await conn.open()
    started = time.perf_counter()
    window = (started + args.warmup, started + args.warmup + args.measure)
    results, failures = [], {}
    next_token = 0
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)

    async def loop(customer):
        nonlocal next_token
        while time.perf_counter() < window[1] and next_token < len(tokens):
            n = next_token
            next_token += 1
            begun = time.perf_counter()
            try:
                times = await customer.checkout(tokens[n], n)
            except Failed as failure:
                key = str(failure)
                failures[key] = failures.get(key, 0) + 1
                continue
            results.append((begun, time.perf_counter(), times))

    tasks = [asyncio.ensure_future(loop(c)) for c in customers]
    await asyncio.sleep(max(0.0, window[1] - time.perf_counter()))
    _, pending = await asyncio.wait(tasks, timeout=args.drain)
    for task in pending:
        task.cancel()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)

    in_window = [r for r in results if window[0] <= r[1] < window[1]]
    started_in = [r for r in results if r[0] >= window[0]]
    steps = {name: [r[2][name] for r in started_in] for name in STEPS}
    whole = [(r[1] - r[0]) * 1000 for r in started_in]
    polls = {}
    tags = set()
    for customer in customers:
        for name, count in customer.polls.items():
            polls[name] = polls.get(name, 0) + count
        tags |= customer.tags
        for conn in customer.conns.values():
            conn.close()
    with open(f"{args.out_dir}/steps.json", "w") as out:
        json.dump({"whole": whole, **steps}, out)
    with open(f"{args.out_dir}/tags", "w") as out:
        out.writelines(f"{t}\n" for t in sorted(tags))
    with open(f"{args.out_dir}/users_used", "w") as out:
        out.write(f"{next_token}\n")
    print(json.dumps({
        "customers": args.customers, "measured_s": args.measure,
        "completed_in_window": len(in_window),
        "checkouts_per_s": round(len(in_window) / (window[1] - window[0]), 1),
        "completed_total": len(results), "started_total": next_token,
        "unfinished_after_drain": len(pending),
        "failures": failures,
        "whole_p50_ms": round(pct(whole, .5), 1), "whole_p99_ms": round(pct(whole, .99), 1),
        "steps": {name: {"p50": round(pct(v, .5), 1), "p99": round(pct(v, .99), 1)}
                  for name, v in steps.items()},
        "polls": polls,
        "client_cpu_s": round(cpu_after.ru_utime + cpu_after.ru_stime
                              - cpu_before.ru_utime - cpu_before.ru_stime, 2),
        "whole": describe(whole)}))
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tokens")
    parser.add_argument("skus")
    parser.add_argument("out_dir")
    for name in ("cart", "shipping", "payment", "checkout"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--customers", type=int, default=64)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--measure", type=float, default=20)
    parser.add_argument("--drain", type=float, default=30)
    parser.add_argument("--poll-ms", type=float, default=25)
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
