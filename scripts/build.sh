#!/usr/bin/env bash
# Configures and builds the C++ tree with CMake + Ninja.
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake -D options ...]
#   BUILD_DIR defaults to build (relative to the repo root); BUILD_TYPE (env) to RelWithDebInfo.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir="${1:-build}"
shift || true
[[ "${dir}" == /* ]] || dir="${ROOT}/${dir}"

log "configuring ${dir#"${ROOT}"/} $*"
cmake -S "${ROOT}" -B "${dir}" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@"
log "building ${dir#"${ROOT}"/}"
cmake --build "${dir}"
