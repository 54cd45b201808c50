#!/usr/bin/env bash
# Builds the storefront (storefront/: TypeScript, Vite) into storefront/dist, which the gateway
# serves at / and /assets/. Skipped, with a message, when npm is not installed.
# Usage: scripts/storefront.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="${ROOT}/storefront"
if ! command -v npm >/dev/null 2>&1; then
  warn "npm not found: the storefront is not built (install Node.js 20; the gateway answers / with 404 without it)"
  exit 0
fi
if [[ ! -d "${dir}/node_modules" ]]; then
  log "npm ci in storefront"
  (cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error)
fi
log "building the storefront (storefront/dist)"
(cd "${dir}" && npm run --silent build)
