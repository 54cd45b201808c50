#!/usr/bin/env python3
"""Gives every user exactly LINES adds of random catalog skus (unmeasured set-up for GET /cart).

usage: fill_carts.py URL TOKENS SKUS LINES [CONNECTIONS]
Each connection works through its own users one add at a time (keep-alive, no pipelining), so
one user's adds never race each other. Prints "adds failed" counts; exits 1 if any add failed.
"""
import asyncio
import random
import sys
from urllib.parse import urlsplit


async def worker(host, port, users, skus, lines, failures):
    reader, writer = await asyncio.open_connection(host, port)
    for token in users:
        for _ in range(lines):
            body = ('{"type":"offer","sku":"%s","quantity":1}' % random.choice(skus)).encode()
            writer.write(
                b"POST /cart/items HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                + b"Authorization: Bearer " + token.encode() + b"\r\n"
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            status_line = await reader.readline()
            length = 0
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b""):
                    break
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if not status_line.startswith(b"HTTP/1.1 201"):
                failures.append(status_line.decode().strip())
    writer.close()


async def main():
    url, tokens_file, skus_file, lines = sys.argv[1:5]
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 32
    parts = urlsplit(url)
    tokens = open(tokens_file).read().split()
    skus = open(skus_file).read().split()
    failures = []
    await asyncio.gather(*(
        worker(parts.hostname, parts.port, tokens[i::connections], skus, int(lines), failures)
        for i in range(connections)))
    print(f"{len(tokens) * int(lines)} adds, {len(failures)} failed"
          + (f" (first: {failures[0]})" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
