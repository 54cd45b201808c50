#!/usr/bin/env python3
"""Event-to-summary latency of the Checkout: POST /cart/items answered -> the summary shows it.

usage:
  event_latency.py setup CART_URL CHECKOUT_URL TOKENS SKUS PLANS
  event_latency.py run CART_URL CHECKOUT_URL PLANS OUT_DIR --rate R --warmup S
                   --measure S [--sse-users N] [--kafka BROKERS --linger MS --fetch-wait MS]

setup (unmeasured): gives every user of TOKENS (one JWT a line) a first add of a product (a
random one of SKUS, one sku a line; quantity 1), which opens the user's checkout session, and
waits until the user's GET /checkout/summary?cart_version=V includes it (freshness.complete), so
that the measured changes go to sessions the Checkout already follows. Writes PLANS: for each
user "TOKEN SKU1 SKU2 SKU3 SKU4", the skus its later adds cycle through (the first one is the
set-up's), so carts stay at four lines of small quantities. Prints "N users, F failed, ..." and
exits 1 if any user failed.

run: changes at a steady RATE a second, for WARMUP seconds unrecorded and MEASURE seconds
recorded. Change i is an add by user i mod N (the users in a random order: each user changes once
every N/RATE seconds, never twice at once), of the next sku of its plan. It is sent at its due
time (start + i/RATE) on a keep-alive connection (a new one is opened whenever all are busy, so
no change waits for a connection), and once the Cart answers 201 with its cart_version V:
  - for most users: GET /checkout/summary?cart_version=V&wait_ms=2000 on a keep-alive connection
    to the Checkout, which answers once its totals include cart version V; a sample is the time
    from the POST's answer to this answer, if it says "freshness":{"complete":true,...};
  - for --sse-users of them (chosen at random; they ask no summary): each keeps
    GET /checkout/summary/stream open from the start, and a sample is the time from the POST's
    answer to the first "summary" event whose versions.cart is at least V.
With --kafka, kafka_latency.py runs beside it in a process of its own on the same broker, at the
same rate, with the same warm-up and measured time (started first; this load starts once it says
"ready"): Kafka's own produce -> consume on a topic of its own, under the same conditions.
A change the summary did not include within its 2 s wait (or the stream did not show within
5 s) counts as not seen, at the time it was given up on (so p99 is then a lower bound).
Writes OUT_DIR/summary.ms, sse.ms, post.ms (the POSTs' own time), lag.ms (how late each POST left
after its due time: the load generator's own delay), kafka.ms, one sample a line, and prints one
line per figure plus "status ..." key=value pairs. Exits 1 when a POST failed or a change was not
seen (timed out).
"""
import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))


class Conn:
    """One keep-alive HTTP/1.1 connection; answers are read by Content-Length."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, head, body=b""):
        if self.writer is None:
            await self.open()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed")
        length = 0
        while True:
            header = await self.reader.readline()
            if header in (b"\r\n", b""):
                break
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        answer = await self.reader.readexactly(length) if length else b""
        return int(status_line.split()[1]), answer


class Pool:
    """Idle connections to one server; grows when every connection is busy."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.idle = []
        self.opened = 0

    async def request(self, head, body=b""):
        conn = self.idle.pop() if self.idle else None
        if conn is None:
            self.opened += 1
            conn = await Conn(self.host, self.port).open()
        try:
            answer = await conn.request(head, body)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            conn.close()
            raise
        self.idle.append(conn)
        return answer

    def close(self):
        for conn in self.idle:
            conn.close()


def post_head(token, body):
    return (b"POST /cart/items HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + token.encode() + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n")


def add_body(sku):
    return ('{"type":"offer","sku":"%s","quantity":1}' % sku).encode()


def summary_head(token, version, wait_ms):
    return (b"GET /checkout/summary?cart_version=" + str(version).encode() + b"&wait_ms="
            + str(wait_ms).encode() + b" HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer "
            + token.encode() + b"\r\n\r\n")


def complete(summary):
    """freshness goes last in the summary (the Checkout appends it)."""
    at = summary.rfind(b'"freshness":')
    if at < 0:
        return False
    if summary.startswith(b'{"complete":true', at + 12):
        return True
    if summary.startswith(b'{"complete":false', at + 12):
        return False
    return json.loads(summary).get("freshness", {}).get("complete") is True


async def setup(args):
    tokens = open(args.tokens).read().split()
    skus = open(args.skus).read().split()
    cart, checkout = Pool(args.cart_url), Pool(args.checkout_url)
    plans = {t: random.sample(skus, 4) for t in tokens}
    failures, waits = [], []
    queue = list(tokens)

    async def worker():
        while queue:
            token = queue.pop()
            try:
                body = add_body(plans[token][0])
                status, answer = await cart.request(post_head(token, body), body)
                if status != 201:
                    failures.append(f"POST {status} {answer[:200].decode(errors='replace')}")
                    continue
                version = json.loads(answer)["cart_version"]
                started = time.perf_counter()
                for _ in range(6):
                    status, answer = await checkout.request(summary_head(token, version, 5000))
                    if status == 200 and complete(answer):
                        break
                else:
                    failures.append(f"summary never included cart version {version}: "
                                    f"{status} {answer[-300:].decode(errors='replace')}")
                    continue
                waits.append((time.perf_counter() - started) * 1000)
            except (ConnectionError, asyncio.IncompleteReadError, OSError, ValueError) as error:
                failures.append(f"{type(error).__name__}: {error}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(32)))
    seconds = time.perf_counter() - started
    cart.close()
    checkout.close()
    with open(args.plans, "w") as f:
        for token in tokens:
            f.write(token + " " + " ".join(plans[token]) + "\n")
    waits.sort()
    print(f"{len(tokens)} users given a first line in {seconds:.1f} s, {len(failures)} failed"
          + (f" (first: {failures[0]})" if failures else "")
          + (f"; their first summary took p50 {waits[len(waits) // 2]:.1f} ms" if waits else ""))
    return 1 if failures else 0


class Stream:
    """One user's GET /checkout/summary/stream: the newest cart version seen, and waiters."""

    def __init__(self, pool, token):
        self.pool, self.token = pool, token
        self.version, self.seen_at = -1, 0.0
        self.waiters = []  # (version, future)
        self.events = 0
        self.error = None

    async def run(self, ready):
        try:
            reader, writer = await asyncio.open_connection(self.pool.host, self.pool.port)
            writer.write(b"GET /checkout/summary/stream HTTP/1.1\r\nHost: bench\r\n"
                         b"Accept: text/event-stream\r\nAuthorization: Bearer "
                         + self.token.encode() + b"\r\n\r\n")
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise ConnectionError(head.split(b"\r\n")[0].decode())
            buffer = b""
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    raise ConnectionError("the stream ended")
                now = time.perf_counter()
                buffer += chunk
                while True:
                    end = buffer.find(b"\n\n")
                    if end < 0:
                        break
                    event, buffer = buffer[:end], buffer[end + 2:]
                    if b"event: summary" not in event:
                        continue
                    data = event[event.find(b"data: ") + 6:]
                    version = json.loads(data)["versions"]["cart"]
                    self.events += 1
                    if version > self.version:
                        self.version, self.seen_at = version, now
                    still = []
                    for wanted, future in self.waiters:
                        if version >= wanted and not future.done():
                            future.set_result(now)
                        elif not future.done():
                            still.append((wanted, future))
                    self.waiters = still
                    if not ready.done():
                        ready.set_result(True)
        except (ConnectionError, asyncio.IncompleteReadError, OSError, ValueError,
                KeyError) as error:
            self.error = f"{type(error).__name__}: {error}"
            if not ready.done():
                ready.set_result(False)
            for _, future in self.waiters:
                if not future.done():
                    future.set_result(None)

    async def wait(self, version, timeout):
        if self.version >= version:
            return self.seen_at
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((version, future))
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            return None


def start_kafka_probe(args, out_dir):
    probe = subprocess.Popen(
        [sys.executable, os.path.join(HERE, "kafka_latency.py"), args.kafka, str(args.rate),
         str(args.warmup), str(args.measure), os.path.join(out_dir, "kafka.ms"),
         str(args.linger), str(args.fetch_wait)],
        stdout=subprocess.PIPE, text=True)
    line = probe.stdout.readline().strip()
    if line != "ready":
        probe.wait()
        raise RuntimeError(f"the Kafka probe did not start ({line!r})")
    return probe


async def run(args):
    plans = {}
    for line in open(args.plans):
        token, *skus = line.split()
        plans[token] = skus
    tokens = list(plans)
    random.shuffle(tokens)
    sse_users = set(random.sample(tokens, min(args.sse_users, len(tokens))))
    cart, checkout = Pool(args.cart_url), Pool(args.checkout_url)
    # A few connections ready before the load, so the first changes do not pay the connects.
    for pool, count in ((cart, 16), (checkout, 32)):
        for _ in range(count):
            pool.idle.append(await Conn(pool.host, pool.port).open())
        pool.opened = count

    streams, stream_tasks = {}, []
    for token in sse_users:
        stream = Stream(checkout, token)
        ready = asyncio.get_running_loop().create_future()
        stream_tasks.append(asyncio.create_task(stream.run(ready)))
        streams[token] = stream
        if not await asyncio.wait_for(ready, 10):
            raise RuntimeError(f"a summary stream did not open: {stream.error}")

    probe = start_kafka_probe(args, args.out_dir) if args.kafka else None

    rate, total = args.rate, int((args.warmup + args.measure) * args.rate)
    counts = {token: 1 for token in tokens}  # the set-up's add was the plan's first sku
    results = []  # (due, sent, answered, done or None, kind, post status)
    failures, not_seen = [], []

    async def change(i, due):
        token = tokens[i % len(tokens)]
        plan = plans[token]
        body = add_body(plan[counts[token] % len(plan)])
        counts[token] += 1
        sent = time.perf_counter()
        try:
            status, answer = await cart.request(post_head(token, body), body)
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            failures.append(f"POST: {type(error).__name__}: {error}")
            return
        answered = time.perf_counter()
        if status != 201:
            failures.append(f"POST {status} {answer[:200].decode(errors='replace')}")
            return
        version = json.loads(answer)["cart_version"]
        if token in streams:
            done = await streams[token].wait(version, 5.0)
            kind = "sse"
        else:
            kind = "summary"
            try:
                status, summary = await checkout.request(summary_head(token, version, 2000))
                done = time.perf_counter() if status == 200 and complete(summary) else None
                if done is None:
                    not_seen.append(f"summary {status} {summary[-300:].decode(errors='replace')}")
            except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
                not_seen.append(f"summary: {type(error).__name__}: {error}")
                done = None
        if done is None and kind == "sse":
            not_seen.append(f"stream never showed cart version {version} "
                            f"({streams[token].error or 'timed out'})")
        # A change not seen counts at the time it was given up on (2 s, 5 s): the percentiles
        # stay honest (lower bounds) instead of leaving the slowest changes out.
        results.append((due, sent, answered, done or time.perf_counter(), kind, done is None))

    loop_start = time.perf_counter() + 0.05
    measure_from = loop_start + args.warmup
    tasks = set()
    for i in range(total):
        due = loop_start + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        task = asyncio.create_task(change(i, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks, timeout=15)
    for task in stream_tasks:
        task.cancel()
    cart.close()
    checkout.close()

    probe_line, probe_status = "", 0
    if probe is not None:
        probe_line = probe.stdout.read().strip()
        probe_status = probe.wait()

    measured = [r for r in results if r[0] >= measure_from]
    ms = lambda a, b: (a - b) * 1000  # noqa: E731
    files = {
        "summary.ms": [ms(r[3], r[2]) for r in measured if r[4] == "summary"],
        "sse.ms": [ms(r[3], r[2]) for r in measured if r[4] == "sse"],
        "post.ms": [ms(r[2], r[1]) for r in measured],
        "lag.ms": [ms(r[1], r[0]) for r in measured],
    }
    for name, values in files.items():
        with open(os.path.join(args.out_dir, name), "w") as f:
            f.writelines(f"{v:.3f}\n" for v in values)
    sends = sorted(r[1] for r in measured)
    achieved = (len(sends) - 1) / (sends[-1] - sends[0]) if len(sends) > 1 else 0
    stream_events = sum(s.events for s in streams.values())
    print(f"status changes={total} measured={len(measured)} achieved_rate={achieved:.1f} "
          f"failed_posts={len(failures)} not_seen={len(not_seen)} "
          f"measured_not_seen={sum(1 for r in measured if r[5])} users={len(tokens)} "
          f"sse_users={len(streams)} stream_events={stream_events} "
          f"cart_connections={cart.opened} checkout_connections={checkout.opened + len(streams)}")
    if failures:
        print(f"first failed POST: {failures[0]}")
    if not_seen:
        print(f"first change not seen: {not_seen[0]}")
    if probe is not None:
        print(f"kafka probe: {probe_line}")
    return 1 if failures or not_seen or probe_status else 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    for name in ("cart_url", "checkout_url", "tokens", "skus", "plans"):
        s.add_argument(name)
    r = sub.add_parser("run")
    for name in ("cart_url", "checkout_url", "plans", "out_dir"):
        r.add_argument(name)
    r.add_argument("--rate", type=float, default=500)
    r.add_argument("--warmup", type=float, default=5)
    r.add_argument("--measure", type=float, default=20)
    r.add_argument("--sse-users", type=int, default=100)
    r.add_argument("--kafka", default="")
    r.add_argument("--linger", default="5")
    r.add_argument("--fetch-wait", default="100")
    args = parser.parse_args()
    return asyncio.run(setup(args) if args.command == "setup" else run(args))


if __name__ == "__main__":
    sys.exit(main())
