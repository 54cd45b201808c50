#!/usr/bin/env python3
"""Validate the JSON `data` of a checkout event against its schema in contracts/events.

Usage:
  validate_event.py <EventType> <file.json|->   validate one event's data (a file, or stdin with -)
  validate_event.py --examples                   validate every schema and every example in
                                                 contracts/events/examples (and fail if any event
                                                 type lacks a schema or an example)
  validate_event.py --list                       print the known event types

Exit status: 0 valid, 1 invalid (or unknown event type, unreadable JSON, missing example), 2 usage.

Schemas carry absolute $ids under BASE_URI; their relative $refs (e.g. "common.schema.json#/$defs/money")
are resolved with the `referencing` library against the files in contracts/events, never over the network.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = REPO_ROOT / "contracts" / "events"
EXAMPLES_DIR = EVENTS_DIR / "examples"
BASE_URI = "https://schemas.checkout.example/events/"
SHARED_SCHEMAS = {"common"}  # schema files that define no event type

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def _format_checker() -> FormatChecker:
    """Format checks that need no extra packages (date-time is RFC 3339, stricter than ISO 8601)."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.match(value):
            raise ValueError("not an RFC 3339 date-time (e.g. 2025-03-14T10:15:30Z)")
        frac = re.search(r"\.\d+", value)
        text = value.replace(frac.group(0), "") if frac else value  # fromisoformat dislikes 7-9 digit fractions
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        return True

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("not an RFC 3339 full-date (YYYY-MM-DD)")
        date.fromisoformat(value)
        return True

    @checker.checks("email", raises=ValueError)
    def _email(value: object) -> bool:
        if isinstance(value, str) and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("not an e-mail address")
        return True

    @checker.checks("uri", raises=ValueError)
    def _uri(value: object) -> bool:
        if isinstance(value, str):
            parts = urlsplit(value)
            if not parts.scheme or not (parts.netloc or parts.path) or any(c.isspace() for c in value):
                raise ValueError("not an absolute URI")
        return True

    return checker


def _load_json(path: Path):
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def schema_files() -> dict[str, Path]:
    """Event type -> schema file (shared definition files excluded)."""
    out = {}
    for p in sorted(EVENTS_DIR.glob("*.schema.json")):
        name = p.name[: -len(".schema.json")]
        if name not in SHARED_SCHEMAS:
            out[name] = p
    return out


def _retrieve(uri: str) -> Resource:
    if not uri.startswith(BASE_URI):
        raise NoSuchResource(ref=uri)
    rel = uri[len(BASE_URI):]
    path = (EVENTS_DIR / rel).resolve()
    if EVENTS_DIR.resolve() not in path.parents or not path.is_file():
        raise NoSuchResource(ref=uri)
    return Resource.from_contents(_load_json(path), default_specification=DRAFT202012)


def build_registry() -> Registry:
    registry = Registry(retrieve=_retrieve)
    for p in sorted(EVENTS_DIR.glob("*.schema.json")):
        contents = _load_json(p)
        uri = contents.get("$id", BASE_URI + p.name)
        registry = registry.with_resource(uri, Resource.from_contents(contents, default_specification=DRAFT202012))
    return registry


_REGISTRY: Registry | None = None

# Money and counts must be JSON integers: 3299.0 is rejected too (plain draft 2020-12 would accept it).
_StrictValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, inst: isinstance(inst, int) and not isinstance(inst, bool)),
)


def validator_for(event_type: str) -> Draft202012Validator:
    global _REGISTRY
    files = schema_files()
    if event_type not in files:
        raise KeyError(event_type)
    if _REGISTRY is None:
        _REGISTRY = build_registry()
    schema = _load_json(files[event_type])
    return _StrictValidator(schema, registry=_REGISTRY, format_checker=_format_checker())


def _path(error) -> str:
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def errors_for(event_type: str, data) -> list[str]:
    """Human-readable validation errors (empty when valid)."""
    v = validator_for(event_type)
    msgs = []
    for e in sorted(v.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        msg = e.message
        if e.validator in ("oneOf", "anyOf") and e.context:
            msg += " (" + "; ".join(sorted({c.message for c in e.context})) + ")"
        msgs.append(f"{_path(e)}: {msg}")
    return msgs


def validate_one(event_type: str, source: str) -> int:
    if event_type not in schema_files():
        print(f"unknown event type {event_type!r}: no {EVENTS_DIR / (event_type + '.schema.json')}. "
              f"Known: {', '.join(schema_files())}", file=sys.stderr)
        return 1
    try:
        if source == "-":
            data = json.load(sys.stdin)
        else:
            data = _load_json(Path(source))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"{event_type}: cannot read JSON from {source}: {exc}", file=sys.stderr)
        return 1
    errs = errors_for(event_type, data)
    if errs:
        print(f"{event_type}: INVALID ({source}), {len(errs)} error(s):", file=sys.stderr)
        for m in errs:
            print(f"  - {m}", file=sys.stderr)
        return 1
    print(f"{event_type}: valid ({source})")
    return 0


def validate_examples() -> int:
    failures = 0
    types = schema_files()
    if not types:
        print(f"no event schemas found in {EVENTS_DIR}", file=sys.stderr)
        return 1
    for p in sorted(EVENTS_DIR.glob("*.schema.json")):
        try:
            schema = _load_json(p)
            Draft202012Validator.check_schema(schema)
        except (json.JSONDecodeError, SchemaError) as exc:
            print(f"{p.name}: not a valid draft 2020-12 schema: {exc}", file=sys.stderr)
            failures += 1
            continue
        name = p.name[: -len(".schema.json")]
        if name not in SHARED_SCHEMAS:
            if schema.get("$id") != BASE_URI + p.name:
                print(f"{p.name}: $id must be {BASE_URI + p.name}", file=sys.stderr)
                failures += 1
            if schema.get("title") != name:
                print(f"{p.name}: title must be {name}", file=sys.stderr)
                failures += 1
    examples = {p.stem: p for p in sorted(EXAMPLES_DIR.glob("*.json"))}
    for name in types:
        if name not in examples:
            print(f"{name}: no example {EXAMPLES_DIR / (name + '.json')}", file=sys.stderr)
            failures += 1
    for name, path in examples.items():
        if name not in types:
            print(f"{path.name}: example without a schema {name}.schema.json", file=sys.stderr)
            failures += 1
            continue
        if validate_one(name, str(path)) != 0:
            failures += 1
    if failures:
        print(f"FAILED: {failures} problem(s)", file=sys.stderr)
        return 1
    print(f"all {len(types)} event types have a valid schema and a valid example")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--examples", action="store_true", help="validate all schemas and examples")
    ap.add_argument("--list", action="store_true", help="list the event types")
    ap.add_argument("event_type", nargs="?")
    ap.add_argument("file", nargs="?", help="JSON file with the event data, or - for stdin")
    args = ap.parse_args(argv)
    if args.examples:
        if args.event_type:
            ap.error("--examples takes no other arguments")
        return validate_examples()
    if args.list:
        print("\n".join(schema_files()))
        return 0
    if not args.event_type or not args.file:
        ap.error("give an event type and a file (or -), or --examples")
    return validate_one(args.event_type, args.file)


if __name__ == "__main__":
    sys.exit(main())
