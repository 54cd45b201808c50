#!/usr/bin/env bash
# clang-format over the C++ sources (*.cpp, *.hpp under platform services tools bench tests),
# with the style of the root .clang-format.
# Usage: scripts/format.sh check   (fails on any difference; what ./dev test runs)
#        scripts/format.sh fix     (rewrites the files in place)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cf="$(command -v clang-format-14 || command -v clang-format || true)"
[[ -n "${cf}" ]] || die "clang-format-14 not installed (package clang-format)"
if [[ ! -f "${ROOT}/.clang-format" ]]; then
  warn "no .clang-format at the repo root: formatting check skipped"
  exit 0
fi

cd "${ROOT}"
dirs=()
for d in platform services tools bench tests; do
  [[ -d "${d}" ]] && dirs+=("${d}")
done
((${#dirs[@]})) || exit 0
mapfile -d '' files < <(find "${dirs[@]}" -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 | sort -z)
((${#files[@]})) || exit 0

case "${1:-check}" in
  check)
    log "clang-format check over ${#files[@]} files"
    if ! "${cf}" --style=file --dry-run -Werror "${files[@]}"; then
      printf '\033[1;31mformatting differs\033[0m: run ./dev fmt to fix\n' >&2
      exit 1
    fi
    ;;
  fix)
    log "clang-format -i over ${#files[@]} files"
    "${cf}" --style=file -i "${files[@]}"
    ;;
  *) die "usage: $0 check|fix" ;;
esac
