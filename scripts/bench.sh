#!/usr/bin/env bash
# ./dev bench: brings the dev stack up (./dev up), then runs every bench/*.sh in turn with the
# dev environment plus GATEWAY_URL (bench/lib.sh is their shared helpers, not a benchmark).
# Exits non-zero if any benchmark script failed.
# Usage: scripts/bench.sh [--no-build]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"${ROOT}/scripts/up.sh" "$@"

# shellcheck source=scripts/env.sh
source "${ROOT}/scripts/env.sh" dev
export GATEWAY_URL="http://127.0.0.1:${GATEWAY_PORT}"

shopt -s nullglob
scripts=()
for s in "${ROOT}"/bench/*.sh; do
  [[ "${s}" == "${ROOT}/bench/lib.sh" ]] || scripts+=("${s}")
done
if ((${#scripts[@]} == 0)); then
  warn "no bench/*.sh scripts"
  exit 0
fi
failed=()
for s in "${scripts[@]}"; do
  log "bench: ${s#"${ROOT}"/}"
  (cd "${ROOT}" && bash "${s}") || failed+=("${s#"${ROOT}"/}")
done
if ((${#failed[@]})); then
  printf '\033[1;31mbenchmarks failed:\033[0m %s\n' "${failed[*]}" >&2
  exit 1
fi
