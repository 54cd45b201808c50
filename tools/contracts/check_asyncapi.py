#!/usr/bin/env python3
"""Check that contracts/asyncapi.yaml and contracts/events/*.schema.json agree.

- every event schema file is the payload of exactly one message in asyncapi.yaml, and every
  $ref in asyncapi.yaml to a file resolves (both ways);
- each such message is named like its schema, its CloudEvents ce_type (x-ce-type) equals the name,
  and it sits on a channel (topic) whose name matches the "Topic:" line in the schema description;
- every channel `<topic>` has a `<topic>.dlq` channel, and every channel has a producer (send operation);
- every internal "#/..." reference resolves.

Usage: check_asyncapi.py [path/to/asyncapi.yaml]      exit 0 when consistent, 1 otherwise.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = REPO_ROOT / "contracts"
EVENTS_DIR = CONTRACTS / "events"
SHARED_SCHEMAS = {"common"}


def walk_refs(node, path="$"):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield path, v
            else:
                yield from walk_refs(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_refs(v, f"{path}[{i}]")


def resolve_pointer(doc, pointer: str):
    node = doc
    for raw in pointer.lstrip("/").split("/") if pointer.strip("/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        else:
            node = node[part]
    return node


def main(argv: list[str]) -> int:
    api_path = Path(argv[1]) if len(argv) > 1 else CONTRACTS / "asyncapi.yaml"
    problems: list[str] = []
    try:
        doc = yaml.safe_load(api_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        print(f"cannot read {api_path}: {exc}", file=sys.stderr)
        return 1
    if not str(doc.get("asyncapi", "")).startswith("3."):
        problems.append(f"asyncapi version is {doc.get('asyncapi')!r}, expected 3.x")

    schema_files = {p.name: p for p in sorted(EVENTS_DIR.glob("*.schema.json"))}
    event_files = {n for n in schema_files if n[: -len(".schema.json")] not in SHARED_SCHEMAS}

    referenced_files: dict[str, list[str]] = {}
    for where, ref in walk_refs(doc):
        target, _, fragment = ref.partition("#")
        if target:
            f = (api_path.parent / target).resolve()
            if not f.is_file():
                problems.append(f"{where}: $ref {ref!r} points to a missing file {f}")
                continue
            try:
                rel = f.relative_to(EVENTS_DIR.resolve())
                referenced_files.setdefault(str(rel), []).append(where)
            except ValueError:
                pass
        else:
            try:
                resolve_pointer(doc, fragment)
            except (KeyError, IndexError, ValueError, TypeError):
                problems.append(f"{where}: $ref {ref!r} does not resolve inside {api_path.name}")

    for name in sorted(event_files - set(referenced_files)):
        problems.append(f"contracts/events/{name} is not referenced by {api_path.name}")
    for name in sorted(set(referenced_files) - set(schema_files)):
        problems.append(f"{api_path.name} references events/{name}, which is not a schema file")
    for name, wheres in sorted(referenced_files.items()):
        if name in event_files and len(wheres) != 1:
            problems.append(f"events/{name} is referenced {len(wheres)} times (expected once): {wheres}")

    messages = doc.get("components", {}).get("messages", {}) or {}
    channels = doc.get("channels", {}) or {}
    operations = doc.get("operations", {}) or {}
    msg_topic: dict[str, str] = {}
    for cid, ch in channels.items():
        for mref in (ch.get("messages") or {}).values():
            ref = mref.get("$ref", "")
            if ref.startswith("#/components/messages/"):
                msg_topic[ref.rsplit("/", 1)[1]] = ch.get("address", "")

    for mname, msg in messages.items():
        schema_ref = ((msg.get("payload") or {}).get("schema") or {}).get("$ref", "")
        if not schema_ref:
            continue  # dead-letter messages carry opaque bytes
        fname = Path(schema_ref.partition("#")[0]).name
        etype = fname[: -len(".schema.json")]
        if mname != etype or msg.get("name") != etype:
            problems.append(f"message {mname} (name {msg.get('name')!r}) has payload {fname}: names must match")
        if msg.get("x-ce-type") != etype:
            problems.append(f"message {mname}: x-ce-type {msg.get('x-ce-type')!r} != {etype}")
        if not str(msg.get("payload", {}).get("schemaFormat", "")).startswith("application/schema+json;version=draft-2020-12"):
            problems.append(f"message {mname}: payload.schemaFormat must be application/schema+json;version=draft-2020-12")
        if mname not in msg_topic:
            problems.append(f"message {mname} is on no channel")
            continue
        schema_path = EVENTS_DIR / fname
        if schema_path.is_file():
            desc = json.loads(schema_path.read_text(encoding="utf-8")).get("description", "")
            m = re.search(r"Topic: ([a-z0-9.-]+)\.", desc)
            if not m:
                problems.append(f"{fname}: description has no 'Topic: <topic>.' line")
            elif m.group(1) != msg_topic[mname]:
                problems.append(f"message {mname} is on {msg_topic[mname]!r} but {fname} says topic {m.group(1)!r}")
        example = EVENTS_DIR / "examples" / f"{etype}.json"
        if not example.is_file():
            problems.append(f"message {mname}: no example {example}")

    addresses = {ch.get("address") for ch in channels.values()}
    senders = {}
    for oid, op in operations.items():
        cref = (op.get("channel") or {}).get("$ref", "")
        cid = cref.rsplit("/", 1)[-1]
        if op.get("action") == "send":
            senders.setdefault(cid, []).append(oid)
    for cid, ch in channels.items():
        addr = ch.get("address", "")
        if not addr.endswith(".dlq") and f"{addr}.dlq" not in addresses:
            problems.append(f"channel {cid} ({addr}) has no dead-letter channel {addr}.dlq")
        if cid not in senders:
            problems.append(f"channel {cid} ({addr}) has no send operation (producer)")

    if problems:
        print(f"{api_path}: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"{api_path.name}: OK ({len(event_files)} event schemas, {len(channels)} channels, "
          f"{len(operations)} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
