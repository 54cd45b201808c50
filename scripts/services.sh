#!/usr/bin/env bash
# The service binaries: every build/services/<name>/<name>_service, dev profile.
# Usage: scripts/services.sh start|stop|status [BUILD_DIR]
# Each runs in the background with the environment of scripts/env.sh, its log in
# .local/logs/<name>.log and its pid in .local/run/<name>.pid.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD_DIR="${2:-${ROOT}/build}"
RUN="${LOCAL_DIR}/run"
LOGS="${LOCAL_DIR}/logs"
# Pid files in .local/run that are not services.
NOT_SERVICES=" redis kafka postgres nginx "

# service_port NAME: the default HTTP port of a service (SPEC "Local ports"), empty if unknown.
service_port() {
  case "$1" in
    cart) echo 8101 ;;
    shipping) echo 8102 ;;
    payment) echo 8103 ;;
    checkout) echo 8104 ;;
    promotion | promotions) echo 8105 ;;
    services) echo 8106 ;;
    warranty) echo 8107 ;;
  esac
}

# built_services: names of the service executables that exist in the build dir (<name>_service,
# in its service's folder).
built_services() {
  local bin
  for bin in "${BUILD_DIR}"/services/*/*_service; do
    [[ -x "${bin}" && -f "${bin}" ]] || continue
    basename "${bin}" _service
  done
}

# service_binary NAME: the path of NAME's executable.
service_binary() {
  local bin
  for bin in "${BUILD_DIR}"/services/*/"$1"_service; do
    [[ -x "${bin}" ]] && echo "${bin}" && return 0
  done
  return 1
}

# known_services: built ones plus any with a pid file (a binary may have gone since).
known_services() {
  {
    built_services
    local f n
    for f in "${RUN}"/*.pid; do
      [[ -e "${f}" ]] || continue
      n="$(basename "${f}" .pid)"
      [[ "${NOT_SERVICES}" == *" ${n} "* ]] || echo "${n}"
    done
  } | sort -u
}

start() {
  # shellcheck source=scripts/env.sh
  source "${ROOT}/scripts/env.sh" dev
  mkdir -p "${RUN}" "${LOGS}"
  local names=() name started=() failed=0
  mapfile -t names < <(built_services)
  if ((${#names[@]} == 0)); then
    warn "no service binaries in ${BUILD_DIR#"${ROOT}"/}/services/*/<name>_service"
    return 0
  fi
  for name in "${names[@]}"; do
    if pid_alive "${RUN}/${name}.pid"; then
      log "${name} already running"
      continue
    fi
    log "starting ${name}"
    (exec setsid "$(service_binary "${name}")") \
      >>"${LOGS}/${name}.log" 2>&1 </dev/null &
    echo $! >"${RUN}/${name}.pid"
    started+=("${name}")
  done
  local port deadline
  for name in "${started[@]}"; do
    port="$(service_port "${name}")"
    # Wait until it listens on its port (up to 20 s), or for 1 s if its port is unknown;
    # stop waiting as soon as it exits.
    if [[ -n "${port}" ]]; then deadline=$((SECONDS + 20)); else deadline=$((SECONDS + 1)); fi
    while pid_alive "${RUN}/${name}.pid" && ((SECONDS < deadline)); do
      [[ -n "${port}" ]] && port_open "${port}" && break
      sleep 0.2
    done
    if [[ -n "${port}" ]] && pid_alive "${RUN}/${name}.pid" && ! port_open "${port}"; then
      warn "${name} runs but does not listen on ${port} after 20 s"
      failed=1
    fi
    if ! pid_alive "${RUN}/${name}.pid"; then
      warn "${name} exited during start; last lines of .local/logs/${name}.log:"
      tail -n 20 "${LOGS}/${name}.log" >&2 || true
      rm -f "${RUN}/${name}.pid"
      failed=1
    fi
  done
  return "${failed}"
}

stop() {
  local name
  while read -r name; do
    [[ -n "${name}" ]] && stop_pidfile "${name}" "${RUN}/${name}.pid"
  done < <(known_services)
}

status() {
  local name state port
  while read -r name; do
    [[ -n "${name}" ]] || continue
    if pid_alive "${RUN}/${name}.pid"; then state=running; else state=stopped; fi
    port="$(service_port "${name}")"
    printf '%-12s %-8s %s\n' "${name}" "${state}" "${port:+127.0.0.1:${port}}"
  done < <(known_services)
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status [BUILD_DIR]" ;;
esac
