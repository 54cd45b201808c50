#!/usr/bin/env bash
# clang-tidy (checks and errors: the root .clang-tidy) over the first-party C++ sources of a
# configured build directory (its compile_commands.json), diagnostics only for first-party
# headers (platform/ services/ tools/ contracts/), never /usr/include.
#
# clang-tidy 14 costs 10-45 s of CPU per file here (the Asio/Beast/Boost.JSON headers), so
# checking all ~110 files takes 20+ minutes on 2 cores. By default only what changed is checked:
#   - .cpp files changed between a base commit and the working tree (plus untracked ones);
#   - for a changed header, one translation unit that includes it (from the build's Ninja deps,
#     preferring the .cpp of the same name), which reports the header's own diagnostics;
#   - everything if .clang-tidy itself changed.
# The base: $TIDY_BASE or --base REF; else the merge-base with origin/main when HEAD is not on
# it (a branch); else HEAD~$TIDY_COMMITS (default 1: on main, CI checks the last commit). A
# shallow clone without that commit is deepened from origin if possible; if the base still
# cannot be found, every file is checked.
# Usage: scripts/tidy.sh [--all | --base REF] [--build DIR] [-j N] [--list] [FILE.cpp ...]
#   --list   print the files that would be checked, check nothing
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build="${ROOT}/build"
mode=changed
base="${TIDY_BASE:-}"
jobs="${TIDY_JOBS:-$(nproc)}"
commits="${TIDY_COMMITS:-1}"
list_only=0
explicit=()
while (($#)); do
  case "$1" in
    --all) mode=all ;;
    --list) list_only=1 ;;
    --base)
      (($# >= 2)) || die "--base needs a git revision"
      base="$2"
      shift
      ;;
    --build)
      (($# >= 2)) || die "--build needs a directory"
      build="$2"
      shift
      ;;
    -j)
      (($# >= 2)) || die "-j needs a number"
      jobs="$2"
      shift
      ;;
    -h | --help)
      sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option $1 (usage: $0 [--all | --base REF] [--build DIR] [-j N] [--list] [FILE ...])" ;;
    *)
      mode=files
      explicit+=("$1")
      ;;
  esac
  shift
done
[[ "${build}" == /* ]] || build="${ROOT}/${build}"

tidy="$(command -v clang-tidy-14 || command -v clang-tidy || true)"
[[ -n "${tidy}" ]] || die "clang-tidy not installed (package clang-tidy; ./dev install)"
db="${build}/compile_commands.json"
[[ -f "${db}" ]] || die "no ${db#"${ROOT}"/}: configure and build ${build#"${ROOT}"/} first"
command -v jq >/dev/null 2>&1 || die "jq not installed (./dev install)"

cd "${ROOT}"
root_re="$(printf '%s' "${ROOT}" | sed 's/[].[^$*+?(){}|\\]/\\&/g')"
header_filter="^${root_re}/(platform|services|tools|contracts|tests)/"
# First-party translation units of the build (generated sources in the build dir are not ours).
mapfile -t all_files < <(jq -r '.[].file' "${db}" |
  grep -E "^${root_re}/(platform|services|tools|bench|contracts|tests)/" | sort -u)
((${#all_files[@]})) || die "no first-party sources in ${db#"${ROOT}"/}"

in_db() {
  local f="$1" x
  for x in "${all_files[@]}"; do
    [[ "${x}" == "${f}" ]] && return 0
  done
  return 1
}

# resolve_base: sets base, or leaves it empty when the history is not there.
resolve_base() {
  [[ -n "${base}" ]] && return 0
  local upstream mb
  for upstream in origin/main origin/HEAD; do
    if mb="$(git merge-base HEAD "${upstream}" 2>/dev/null)" &&
      [[ "${mb}" != "$(git rev-parse HEAD)" ]]; then
      base="${mb}"
      log "tidy: base is the merge-base with ${upstream} (${base:0:12})"
      return 0
    fi
  done
  if ! git rev-parse -q --verify "HEAD~${commits}^{commit}" >/dev/null &&
    [[ "$(git rev-parse --is-shallow-repository 2>/dev/null)" == true ]]; then
    log "tidy: shallow clone, fetching ${commits} more commit(s) from origin"
    git fetch -q --deepen="${commits}" origin 2>/dev/null || true
  fi
  if git rev-parse -q --verify "HEAD~${commits}^{commit}" >/dev/null; then
    base="HEAD~${commits}"
    log "tidy: base is ${base} (on the base branch itself: its last ${commits} commit(s))"
  fi
}

# tu_for_header HEADER: one translation unit of the build that includes HEADER (absolute path).
tu_for_header() {
  local header="$1" stem objs obj src first=""
  stem="$(basename "${header%.*}")"
  mapfile -t objs < <(ninja -C "${build}" -t deps 2>/dev/null | awk -v h="${header}" '
    /^[^ \t]/ { obj = $1; sub(/:$/, "", obj); next }
    { gsub(/^[ \t]+/, "") }
    $0 == h { print obj }' | sort -u)
  for obj in "${objs[@]}"; do
    src="${obj_to_src[${obj}]:-}"
    [[ -n "${src}" ]] && in_db "${src}" || continue
    [[ -n "${first}" ]] || first="${src}"
    if [[ "$(basename "${src%.*}")" == "${stem}" || "$(basename "${src%.*}")" == "${stem}_test" ]]; then
      echo "${src}"
      return 0
    fi
  done
  [[ -z "${first}" ]] || echo "${first}"
}

files=()
case "${mode}" in
  all) files=("${all_files[@]}") ;;
  files)
    for f in "${explicit[@]}"; do
      [[ "${f}" == /* ]] || f="${ROOT}/${f}"
      in_db "${f}" || die "${f#"${ROOT}"/} is not a first-party source of ${db#"${ROOT}"/}"
      files+=("${f}")
    done
    ;;
  changed)
    resolve_base
    if [[ -z "${base}" ]]; then
      warn "tidy: no base commit in this clone: checking every file"
      files=("${all_files[@]}")
    else
      mapfile -t changed < <({
        git diff --name-only --diff-filter=d "${base}" --
        git ls-files --others --exclude-standard
      } | sort -u)
      if printf '%s\n' "${changed[@]}" | grep -qx '.clang-tidy'; then
        log "tidy: .clang-tidy changed: checking every file"
        files=("${all_files[@]}")
      else
        declare -A obj_to_src=() picked=()
        while IFS=$'\t' read -r obj src; do
          obj_to_src["${obj}"]="${src}"
        done < <(jq -r '.[] | [(.command | capture(" -o (?<o>[^ ]+) ").o), .file] | @tsv' "${db}")
        for f in "${changed[@]}"; do
          case "${f}" in
            *.cpp) in_db "${ROOT}/${f}" && picked["${ROOT}/${f}"]=1 ;;
            *.hpp | *.h | *.ipp)
              [[ "${f}" =~ ^(platform|services|tools|contracts|bench)/ ]] || continue
              tu="$(tu_for_header "${ROOT}/${f}")"
              if [[ -n "${tu}" ]]; then
                picked["${tu}"]=1
              else
                warn "tidy: ${f} is included by no translation unit of ${build#"${ROOT}"/}"
              fi
              ;;
          esac
        done
        if ((${#picked[@]})); then
          mapfile -t files < <(printf '%s\n' "${!picked[@]}" | sort)
        fi
      fi
    fi
    ;;
esac

if ((${#files[@]} == 0)); then
  log "tidy: no C++ changes since ${base:0:12}: nothing to check (./dev tidy --all checks all)"
  exit 0
fi

if ((list_only)); then
  printf '%s\n' "${files[@]#"${ROOT}"/}"
  exit 0
fi

out="$(mktemp -d)"
trap 'rm -rf "${out}"' EXIT
log "clang-tidy over ${#files[@]} of ${#all_files[@]} files, ${jobs} at a time"
start="${SECONDS}"
export TIDY_BIN="${tidy}" TIDY_DB_DIR="${build}" TIDY_HEADER_FILTER="${header_filter}" TIDY_OUT="${out}"
rc=0
# Each file's output is printed whole (under a lock) when it is done. The build's flags are
# g++'s: clang does not know some warning options, and its own compiler warnings stay warnings
# (the -Werror g++ build is the compiler gate; clang-tidy's checks are this step's gate).
printf '%s\0' "${files[@]}" | xargs -0 -n1 -P "${jobs}" bash -c '
  log="$(mktemp "${TIDY_OUT}/XXXXXX.log")"
  rc=0
  "${TIDY_BIN}" -p "${TIDY_DB_DIR}" --quiet --header-filter="${TIDY_HEADER_FILTER}" \
    --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-error "$1" >"${log}" 2>&1 || rc=$?
  # clang-tidy prints "N warnings generated." on stderr even with --quiet.
  sed -i "/^[0-9]* warnings\{0,1\}\( and [0-9]* errors\{0,1\}\)\{0,1\} generated\.$/d" "${log}"
  if ((rc)) || [[ -s "${log}" ]]; then
    flock "${TIDY_OUT}/.lock" bash -c "echo \"--- $1\"; cat \"${log}\"" >&2
  fi
  exit $((rc ? 1 : 0))
' _ || rc=$?

elapsed=$((SECONDS - start))
mapfile -t counts < <(cat "${out}"/*.log 2>/dev/null |
  grep -oE '(warning|error): .* \[[a-z0-9.,-]+\]$' |
  sed -E 's/^(warning|error): .* \[([a-z0-9.,-]+)\]$/\1 \2/' | sort | uniq -c | sort -rn)
if ((${#counts[@]})); then
  log "tidy: diagnostics by check (count, severity, check):"
  printf '  %s\n' "${counts[@]}" >&2
fi
if ((rc)); then
  printf '\033[1;31mclang-tidy found errors\033[0m (in %s s): see above; ./dev tidy FILE re-checks one file\n' \
    "${elapsed}" >&2
  exit 1
fi
log "tidy: ${#files[@]} files clean of errors in ${elapsed} s"
