#!/usr/bin/env python3
"""Validate a catalog product file (JSON Lines) against tools/catalog/catalog_product.schema.json.

Usage: validate_catalog.py [FILE]    (default: tools/catalog/sample_catalog.jsonl)
Checks every line against the schema (integers must be JSON integers: 3299.0 is rejected),
that no line is blank, and that every sku is unique. Exit 0 when valid, 1 otherwise.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator, validators

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = REPO_ROOT / "tools" / "catalog" / "catalog_product.schema.json"
DEFAULT_FILE = REPO_ROOT / "tools" / "catalog" / "sample_catalog.jsonl"

_StrictValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, inst: isinstance(inst, int) and not isinstance(inst, bool)),
)


def check(path: Path) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = _StrictValidator(schema)
    problems, seen = [], {}
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                problems.append(f"line {n}: blank line")
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(f"line {n}: not JSON: {exc}")
                continue
            for e in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
                where = ".".join(str(p) for p in e.absolute_path) or "(line)"
                problems.append(f"line {n}: {where}: {e.message}")
            sku = obj.get("sku") if isinstance(obj, dict) else None
            if isinstance(sku, str):
                if sku in seen:
                    problems.append(f"line {n}: duplicate sku {sku} (first on line {seen[sku]})")
                else:
                    seen[sku] = n
    if not seen and not problems:
        problems.append("the file has no products")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FILE
    try:
        problems = check(path)
    except OSError as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 1
    if problems:
        print(f"{path}: INVALID, {len(problems)} problem(s):", file=sys.stderr)
        for p in problems[:200]:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"{path.name}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
