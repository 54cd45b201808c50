#!/usr/bin/env bash
# ./dev down: stops what ./dev up started, by pid file only (gateway, services, infrastructure).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"${ROOT}/scripts/gateway.sh" stop
"${ROOT}/scripts/services.sh" stop
"${ROOT}/scripts/simulators.sh" stop
"${ROOT}/scripts/infra.sh" stop dev
