#!/usr/bin/env python3
"""Deletes what the dev stack's Redis keeps for one bench run.

usage: cleanup.py HOST:PORT MARKER [TAGS_FILE ...]

Every key whose hash tag ({...}) contains MARKER (case-insensitive: the run's users
bench-fin-<run>-..., its sessions and cart hashes built from them, its skus BENCH-FIN-<RUN>-...)
or is one of the lines of a TAGS_FILE (sessions and cart hashes the services made up themselves,
as bench/finalize/checkouts.py records them) is unlinked. One SCAN over the keyspace (COUNT
5000). Prints how many keys went.
"""
import os
import sys

from common import Redis


def main():
    host, port = sys.argv[1].split(":")
    marker = sys.argv[2].lower()
    tags = set()
    for path in sys.argv[3:]:
        if os.path.exists(path):
            tags.update(line.strip() for line in open(path) if line.strip())
    redis = Redis(host, int(port))
    cursor, doomed = "0", []
    while True:
        cursor, keys = redis.call("SCAN", cursor, "COUNT", 5000)
        for key in keys:
            start, end = key.find("{"), key.find("}")
            tag = key[start + 1:end] if 0 <= start < end else key
            if marker in tag.lower() or tag in tags:
                doomed.append(key)
        if cursor == "0":
            break
    for i in range(0, len(doomed), 500):
        redis.call("UNLINK", *doomed[i:i + 500])
    redis.close()
    print(f"{len(doomed)} keys deleted")


if __name__ == "__main__":
    main()
