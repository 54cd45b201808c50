#!/usr/bin/env python3
"""Gives every bench user a cart of LINES product lines and a Services session (unmeasured set-up).

usage: setup_carts.py CART_URL SERVICES_URL TOKENS SKUS LINES HASHES_OUT [TIMEOUT_S] [CONNECTIONS]

SKUS: "SKU CATEGORY" lines (the sample catalog's products). TOKENS: one dev JWT a line.
1. Through the Cart's API (POST /cart/items, quantity 1 to 3), each user's LINES distinct skus:
   a cart of 1 line holds a product that has item services (a washing machine, TV, piece of
   furniture, fridge or dishwasher); a longer cart starts with one of each of those categories
   and is filled up with random other products. The Cart publishes CartItemAdded to cart-events;
   the Services follow each cart into a session.
2. GET /cart per user: the cart hash the Cart ended with.
3. GET /services/available per user until it names a session with that same cart hash and
   LINES product lines (the Services have consumed every event of the cart); that call also
   caches the answer under services:available:{cart_hash}, so the measured GETs are cached.
   Every cart hash an answer named (earlier calls may have cached a cart still being followed)
   is appended to HASHES_OUT, for the clean-up.
Prints one line of counts and the answer's size; exits 1 if an add failed or a user had no
session with the cart's hash within TIMEOUT_S (300). Each connection works through its own
users one request at a time (keep-alive).
"""
import asyncio
import json
import random
import sys
import time
from urllib.parse import urlsplit

# The categories the rules (services/services/config/services_rules.yaml) have item
# services for.
SERVICE_CATEGORIES = ["washing_machine", "tv", "furniture", "fridge", "dishwasher"]


class Connection:
    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.reader = self.writer = None

    async def call(self, method, path, token, body=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
        payload = b""
        if body is not None:
            payload = body.encode()
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readline()
        length = 0
        while True:
            header = await self.reader.readline()
            if header in (b"\r\n", b""):
                break
            name, _, value = header.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        parts = status_line.split()
        return (int(parts[1]) if len(parts) > 1 else 0), data

    def close(self):
        if self.writer is not None:
            self.writer.close()


def cart_skus(by_category, everything, lines):
    if lines == 1:
        return [random.choice(by_category[random.choice(SERVICE_CATEGORIES)])]
    chosen = [random.choice(by_category[c]) for c in SERVICE_CATEGORIES][:lines]
    rest = [sku for sku in everything if sku not in chosen]
    chosen += random.sample(rest, lines - len(chosen))
    random.shuffle(chosen)
    return chosen


async def fill(cart_url, users, by_category, everything, lines, failures):
    conn = Connection(cart_url)
    for token in users:
        for sku in cart_skus(by_category, everything, lines):
            body = json.dumps({"type": "offer", "sku": sku, "quantity": random.randint(1, 3)})
            status, data = await conn.call("POST", "/cart/items", token, body)
            if status != 201:
                failures.append(f"{status} {data[:200].decode(errors='replace')}")
    conn.close()


async def cart_hashes(cart_url, users, hashes):
    conn = Connection(cart_url)
    for token in users:
        status, data = await conn.call("GET", "/cart", token)
        hashes[token] = json.loads(data).get("cart_hash") if status == 200 else None
    conn.close()


async def wait_sessions(services_url, users, hashes, lines, answers, seen, deadline):
    conn = Connection(services_url)
    pending = list(users)
    while pending and time.monotonic() < deadline:
        waiting = []
        for token in pending:
            status, data = await conn.call("GET", "/services/available", token)
            doc = json.loads(data) if status == 200 else {}
            if doc.get("cart_hash"):
                seen.add(doc["cart_hash"])
            if (doc.get("session_id") and doc.get("cart_hash") == hashes[token]
                    and len(doc.get("items", [])) == lines):
                answers[token] = (doc, len(data))
            else:
                waiting.append(token)
        pending = waiting
        if pending:
            await asyncio.sleep(0.5)
    conn.close()


async def main():
    cart_url, services_url, tokens_file, skus_file, lines, hashes_out = sys.argv[1:7]
    lines = int(lines)
    timeout = float(sys.argv[7]) if len(sys.argv) > 7 else 300.0
    connections = int(sys.argv[8]) if len(sys.argv) > 8 else 32
    tokens = open(tokens_file).read().split()
    by_category, everything = {}, []
    for line in open(skus_file):
        sku, category = line.split()
        by_category.setdefault(category, []).append(sku)
        everything.append(sku)
    shards = [tokens[i::connections] for i in range(connections)]
    started = time.monotonic()

    failures = []
    await asyncio.gather(*(fill(cart_url, shard, by_category, everything, lines, failures)
                           for shard in shards))
    hashes = {}
    await asyncio.gather(*(cart_hashes(cart_url, shard, hashes) for shard in shards))
    added = time.monotonic()
    answers, seen = {}, set()
    deadline = time.monotonic() + timeout
    await asyncio.gather(*(wait_sessions(services_url, shard, hashes, lines, answers, seen,
                                         deadline) for shard in shards))
    with open(hashes_out, "a") as out:
        out.writelines(h + "\n" for h in sorted(seen))
    sizes = [size for _, size in answers.values()]
    offered = sum(1 for doc, _ in answers.values() for item in doc["items"]
                  for service in item["services"] if service["available"])
    print(f"{len(tokens)} carts of {lines} lines ({len(failures)} adds failed"
          + (f", first: {failures[0]}" if failures else "")
          + f") in {added - started:.0f}s; {len(answers)} sessions with the cart's hash "
          f"{time.monotonic() - added:.0f}s later; answers {min(sizes, default=0)}-"
          f"{max(sizes, default=0)} bytes, "
          f"{offered / max(len(answers), 1):.1f} item services offered per cart")
    return 1 if failures or len(answers) != len(tokens) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
