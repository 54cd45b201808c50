#!/usr/bin/env bash
# ./dev status: each component of the dev profile, running or stopped, and its address.
# With "test", the test infrastructure instead.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile="${1:-dev}"
printf '%-12s %-8s %s\n' COMPONENT STATE ADDRESS
"${ROOT}/scripts/infra.sh" status "${profile}"
if [[ "${profile}" == dev ]]; then
  "${ROOT}/scripts/simulators.sh" status
  "${ROOT}/scripts/services.sh" status
  "${ROOT}/scripts/gateway.sh" status
fi
