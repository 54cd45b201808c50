#!/usr/bin/env bash
# The Cart's per-request document work on one core (bench/cart_domain): reading the stored view,
# writing it, and a whole add, against Boost.JSON's parse and serialize of the same document
# measured in the same run. Needs a build (./dev build); no running stack.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bench="$repo/build/bench/cart_domain/cart_domain_bench"
[[ -x "$bench" ]] || { echo "build first (./dev build)" >&2; exit 2; }
"$bench"
