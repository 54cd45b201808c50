#!/usr/bin/env bash
# ./dev up: install, build, then start the dev infrastructure, the services, the catalog
# import and the nginx gateway. Anything already running is left alone.
# Usage: scripts/up.sh [--no-build]
# A failed build is reported, the rest still starts (with whatever binaries exist), and the
# exit status is non-zero.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=1
for arg in "$@"; do
  case "${arg}" in
    --no-build) build=0 ;;
    *) die "usage: $0 [--no-build]" ;;
  esac
done

problems=()

"${ROOT}/scripts/install.sh" all

if ((build)); then
  if ! "${ROOT}/scripts/build.sh" build; then
    problems+=("the C++ build failed (see above); services start from whatever binaries exist")
    printf '\033[1;31m%s\033[0m\n' "BUILD FAILED - continuing with the infrastructure" >&2
  fi
  if ! "${ROOT}/scripts/storefront.sh"; then
    problems+=("the storefront build failed (see above); the gateway serves the last build, if any")
    printf '\033[1;31m%s\033[0m\n' "STOREFRONT BUILD FAILED - continuing" >&2
  fi
fi

"${ROOT}/scripts/infra.sh" start dev
# The simulators of external systems first: the services call them (shipping: the carrier).
"${ROOT}/scripts/simulators.sh" start || problems+=("some simulators did not start (see above)")
"${ROOT}/scripts/services.sh" start || problems+=("some services did not start (see above)")

importer="${ROOT}/build/tools/catalog_import/catalog_import"
catalog="${ROOT}/tools/catalog/sample_catalog.jsonl"
if [[ -x "${importer}" && -f "${catalog}" ]]; then
  log "importing ${catalog#"${ROOT}"/}"
  # shellcheck disable=SC1091
  if ! (source "${ROOT}/scripts/env.sh" dev && "${importer}" "${catalog}") \
    >>"${LOCAL_DIR}/logs/catalog_import.log" 2>&1; then
    problems+=("catalog import failed: see .local/logs/catalog_import.log")
  fi
fi

"${ROOT}/scripts/gateway.sh" start

echo
"${ROOT}/scripts/status.sh"
if ((${#problems[@]})); then
  echo
  printf '\033[1;31mproblems:\033[0m\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
