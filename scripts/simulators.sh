#!/usr/bin/env bash
# The simulators of external systems the services call (carrier calendar; the payment gateways
# Przelewy24, PayU and Stripe) and the dev sign-in standing in for the shop's identity provider
# (dev_auth: it signs tokens with the JWT_* settings of scripts/env.sh), dev profile. They are
# tools, not services: no Redis or Kafka, loopback only.
# Usage: scripts/simulators.sh start|stop|status [BUILD_DIR]
# Each runs in the background with the environment of scripts/env.sh plus its port variable,
# its log in .local/logs/<name>.log and its pid in .local/run/simulators/<name>.pid (a folder of
# their own, so that scripts/services.sh, which takes every .local/run/*.pid for a service, never
# sees them). start waits until GET /healthz answers 200 and leaves a running one alone.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD_DIR="${2:-${ROOT}/build}"
RUN="${LOCAL_DIR}/run/simulators"
LOGS="${LOCAL_DIR}/logs"

# One line per simulator: name|binary under BUILD_DIR|default port|variable that sets the port
# (read by the simulator itself; a value set in the environment wins over the default).
SIMULATORS=(
  "carrier_calendar_sim|tools/carrier_calendar/carrier_calendar_sim|8201|CARRIER_SIM_PORT"
  "przelewy24_sim|tools/przelewy24_sim/przelewy24_sim|8202|P24_SIM_PORT"
  "payu_sim|tools/payu_sim/payu_sim|8203|PAYU_SIM_PORT"
  "stripe_sim|tools/stripe_sim/stripe_sim|8204|STRIPE_SIM_PORT"
  "dev_auth|tools/dev_auth/dev_auth|8190|DEV_AUTH_PORT"
)

# sim_port DEFAULT VARIABLE: the port the simulator gets: $VARIABLE if set, else DEFAULT.
sim_port() {
  local value="${!2:-}"
  echo "${value:-$1}"
}

healthy() {
  [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1/healthz")" == 200 ]]
}

start() {
  # shellcheck source=scripts/env.sh
  source "${ROOT}/scripts/env.sh" dev
  mkdir -p "${RUN}" "${LOGS}"
  local entry name bin port var failed=0 deadline
  for entry in "${SIMULATORS[@]}"; do
    IFS='|' read -r name bin port var <<<"${entry}"
    port="$(sim_port "${port}" "${var}")"
    if pid_alive "${RUN}/${name}.pid"; then
      log "${name} already running"
      continue
    fi
    if [[ ! -x "${BUILD_DIR}/${bin}" ]]; then
      warn "${name}: no ${BUILD_DIR#"${ROOT}"/}/${bin} (not built): not started"
      continue
    fi
    if port_open "${port}"; then
      warn "${name}: something else listens on 127.0.0.1:${port} (no pid file of ours): not started"
      failed=1
      continue
    fi
    log "starting ${name} on 127.0.0.1:${port}"
    (export "${var}=${port}" && exec setsid "${BUILD_DIR}/${bin}") \
      >>"${LOGS}/${name}.log" 2>&1 </dev/null &
    echo $! >"${RUN}/${name}.pid"
    echo "${port}" >"${RUN}/${name}.port"
    # Wait until it answers /healthz (up to 20 s); stop waiting as soon as it exits.
    deadline=$((SECONDS + 20))
    while pid_alive "${RUN}/${name}.pid" && ! healthy "${port}" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if ! pid_alive "${RUN}/${name}.pid"; then
      warn "${name} exited during start; last lines of .local/logs/${name}.log:"
      tail -n 20 "${LOGS}/${name}.log" >&2 || true
      rm -f "${RUN}/${name}.pid" "${RUN}/${name}.port"
      failed=1
    elif ! healthy "${port}"; then
      warn "${name} runs but GET 127.0.0.1:${port}/healthz is not 200 after 20 s"
      failed=1
    fi
  done
  return "${failed}"
}

stop() {
  local entry name rest
  for entry in "${SIMULATORS[@]}"; do
    IFS='|' read -r name rest <<<"${entry}"
    stop_pidfile "${name}" "${RUN}/${name}.pid"
    rm -f "${RUN}/${name}.port"
  done
}

status() {
  local entry name bin port var state
  for entry in "${SIMULATORS[@]}"; do
    IFS='|' read -r name bin port var <<<"${entry}"
    if pid_alive "${RUN}/${name}.pid"; then
      state=running
      # The port it was started with.
      [[ -s "${RUN}/${name}.port" ]] && port="$(<"${RUN}/${name}.port")"
    else
      state=stopped
      port="$(sim_port "${port}" "${var}")"
    fi
    printf '%-12s %-8s %s\n' "${name}" "${state}" "127.0.0.1:${port}"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: $0 start|stop|status [BUILD_DIR]" ;;
esac
