#!/usr/bin/env python3
"""Gives every bench user a Shipping session the way a customer gets one (unmeasured set-up).

usage: setup_sessions.py CART_URL SHIPPING_URL TOKENS SKUS SESSIONS_OUT [TIMEOUT_S] [CONNECTIONS]

1. Through the Cart's API: 1 to 3 adds per user (POST /cart/items, random catalog skus,
   quantity 1 to 3), so the carts differ and the Shipping's methods cache holds a realistic
   number of entries. The Cart publishes CartItemAdded to cart-events; the Shipping follows.
2. GET /cart per user: the cart hash the Cart ended with.
3. GET /shipping/available per user until it names a session and that same cart hash (the
   Shipping has consumed every event of the cart); that call also caches the methods under
   shipping:methods:{cart_hash}.
Writes each user's session id to SESSIONS_OUT (for the clean-up) and prints one line of counts.
Exits 1 if an add failed or a user had no session with the cart's hash within TIMEOUT_S (300).
Each connection works through its own users one request at a time (keep-alive).
"""
import asyncio
import json
import random
import sys
import time
from urllib.parse import urlsplit


class Connection:
    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.reader = self.writer = None

    async def call(self, method, path, token, body=None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n")
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


async def fill(cart_url, users, skus, failures):
    conn = Connection(cart_url)
    for token in users:
        for _ in range(random.randint(1, 3)):
            body = json.dumps({"type": "offer", "sku": random.choice(skus),
                               "quantity": random.randint(1, 3)})
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


async def wait_sessions(shipping_url, users, hashes, sessions, deadline):
    conn = Connection(shipping_url)
    pending = list(users)
    while pending and time.monotonic() < deadline:
        waiting = []
        for token in pending:
            status, data = await conn.call("GET", "/shipping/available", token)
            doc = json.loads(data) if status == 200 else {}
            if doc.get("session_id") and doc.get("cart_hash") == hashes[token]:
                sessions[token] = doc["session_id"]
            else:
                waiting.append(token)
        pending = waiting
        if pending:
            await asyncio.sleep(0.5)
    conn.close()


async def main():
    cart_url, shipping_url, tokens_file, skus_file, sessions_out = sys.argv[1:6]
    timeout = float(sys.argv[6]) if len(sys.argv) > 6 else 300.0
    connections = int(sys.argv[7]) if len(sys.argv) > 7 else 32
    tokens = open(tokens_file).read().split()
    skus = open(skus_file).read().split()
    shards = [tokens[i::connections] for i in range(connections)]
    started = time.monotonic()

    failures = []
    await asyncio.gather(*(fill(cart_url, shard, skus, failures) for shard in shards))
    hashes = {}
    await asyncio.gather(*(cart_hashes(cart_url, shard, hashes) for shard in shards))
    added = time.monotonic()
    sessions = {}
    deadline = time.monotonic() + timeout
    await asyncio.gather(*(wait_sessions(shipping_url, shard, hashes, sessions, deadline)
                           for shard in shards))
    with open(sessions_out, "w") as out:
        for session_id in sessions.values():
            out.write(session_id + "\n")
    distinct = len({hashes[t] for t in sessions})
    print(f"{len(tokens)} carts ({len(failures)} adds failed"
          + (f", first: {failures[0]}" if failures else "")
          + f") in {added - started:.0f}s; {len(sessions)} sessions with the cart's hash "
          f"{time.monotonic() - added:.0f}s later, {distinct} distinct cart hashes")
    return 1 if failures or len(sessions) != len(tokens) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
