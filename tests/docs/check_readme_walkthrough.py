#!/usr/bin/env python3
"""The README's curl walk-through is docs/walkthrough.sh, shown verbatim.

The README holds the script between `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`
in a ```sh fence. This check fails when the two differ, so the README cannot drift from the
script; the browser tests run the script against a whole stack, so the script cannot drift from
the system.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEGIN = "<!-- walkthrough:begin -->"
END = "<!-- walkthrough:end -->"


def shown_script(readme: str) -> str:
    if readme.count(BEGIN) != 1 or readme.count(END) != 1:
        raise SystemExit(f"README.md must hold {BEGIN} and {END} once each")
    block = readme.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")
    lines = block.split("\n")
    if not lines or lines[0] != "```sh" or lines[-1] != "```":
        raise SystemExit("the walk-through block must be one ```sh fence and nothing else")
    return "\n".join(lines[1:-1]) + "\n"


def main() -> int:
    script = (ROOT / "docs" / "walkthrough.sh").read_text(encoding="utf-8")
    shown = shown_script((ROOT / "README.md").read_text(encoding="utf-8"))
    if shown != script:
        import difflib

        diff = difflib.unified_diff(
            script.splitlines(keepends=True),
            shown.splitlines(keepends=True),
            "docs/walkthrough.sh",
            "README.md (walk-through block)",
        )
        sys.stdout.writelines(diff)
        print("\nREADME.md's walk-through differs from docs/walkthrough.sh: copy the script in")
        return 1
    print(f"README.md shows docs/walkthrough.sh ({len(script.splitlines())} lines) verbatim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
