#!/usr/bin/env bash
# The full test run (what CI does): install, build with -Werror, format check, clang-tidy on the
# changed files, a separate test infrastructure (Redis 16390, Kafka 19092/19093, PostgreSQL
# 15440, state in .local/test/, wiped first), ctest on build/, then a sanitizer build in
# build-asan/ and ctest on it.
# The test infrastructure is always stopped on exit. Exits non-zero if any step failed.
# Usage: scripts/test.sh [--fast] [-R regex] [other ctest options ...]
#   --fast   skip the sanitizer pass
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

fast=0
ctest_args=()
while (($#)); do
  case "$1" in
    --fast) fast=1 ;;
    -R | -E | -L | -LE)
      (($# >= 2)) || die "$1 needs an argument"
      ctest_args+=("$1" "$2")
      shift
      ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done

failed=()
step_failed() {
  failed+=("$1")
  printf '\033[1;31mFAILED:\033[0m %s\n' "$1" >&2
}

infra_up=0
cleanup() {
  local rc=$?
  if ((infra_up)); then
    "${ROOT}/scripts/infra.sh" stop test || true
  fi
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_test_infra() {
  "${ROOT}/scripts/infra.sh" wipe test
  infra_up=1
  "${ROOT}/scripts/infra.sh" start test
}

# run_ctest DIR [NAME=VALUE ...]: ctest on DIR with the test profile's environment plus the
# given variables.
run_ctest() {
  local dir="$1"
  shift
  log "ctest in ${dir} ${ctest_args[*]}"
  (
    # shellcheck source=scripts/env.sh
    source "${ROOT}/scripts/env.sh" test
    # shellcheck disable=SC2163 # each argument is NAME=VALUE
    (($# == 0)) || export "$@"
    ctest --test-dir "${ROOT}/${dir}" --output-on-failure -j2 "${ctest_args[@]}"
  )
}

"${ROOT}/scripts/install.sh" all

if ! "${ROOT}/scripts/build.sh" build -DCHECKOUT_WERROR=ON; then
  step_failed "build (build/, -Werror)"
  exit 1
fi

"${ROOT}/scripts/format.sh" check || step_failed "clang-format check"
# clang-tidy on what changed (scripts/tidy.sh: since the merge-base with origin/main, or the last
# commit on main); ./dev tidy --all checks every file (20+ minutes on 2 cores).
"${ROOT}/scripts/tidy.sh" --build build || step_failed "clang-tidy (scripts/tidy.sh)"

start_test_infra
run_ctest build || step_failed "ctest (build/)"

if ((fast == 0)); then
  if "${ROOT}/scripts/build.sh" build-asan -DCHECKOUT_SANITIZE=ON; then
    # A fresh infrastructure, so the sanitizer pass sees the same clean state as the first.
    start_test_infra
    # The browser tests drive the optimized build only (-LE browser), merged with a -LE the user
    # gave: ctest keeps only the last -LE.
    asan_args=()
    label_exclude=""
    for ((i = 0; i < ${#ctest_args[@]}; i++)); do
      if [[ "${ctest_args[i]}" == -LE ]]; then
        label_exclude="${ctest_args[i + 1]}"
        i=$((i + 1))
      else
        asan_args+=("${ctest_args[i]}")
      fi
    done
    ctest_args=("${asan_args[@]}" -LE "${label_exclude:+(${label_exclude})|}browser")
    run_ctest build-asan ASAN_OPTIONS=detect_leaks=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 || step_failed "ctest (build-asan/, ASan+UBSan)"
  else
    step_failed "build (build-asan/, -DCHECKOUT_SANITIZE=ON)"
  fi
else
  log "--fast: sanitizer pass skipped"
fi

if ((${#failed[@]})); then
  printf '\033[1;31m./dev test failed:\033[0m\n' >&2
  printf '  - %s\n' "${failed[@]}" >&2
  exit 1
fi
log "./dev test: all steps passed"
