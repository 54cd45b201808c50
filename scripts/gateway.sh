#!/usr/bin/env bash
# The nginx gateway on 127.0.0.1:8080 (config: deploy/nginx/nginx.conf), dev profile only.
# Usage: scripts/gateway.sh start|stop|status|reload
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PREFIX="${LOCAL_DIR}/nginx"
CONF="${ROOT}/deploy/nginx/nginx.conf"
PIDFILE="${LOCAL_DIR}/run/nginx.pid"
LOGFILE="${LOCAL_DIR}/logs/nginx.log"
GATEWAY_PORT=8080

nginx_cmd() {
  local globals="pid ${PIDFILE};"
  # As root the master would hand its workers to the compiled-in user (www-data), which
  # cannot write the temp dirs under .local; keep them root: this is a local dev gateway.
  if is_root; then globals+=" user root;"; fi
  nginx -p "${PREFIX}/" -c "${CONF}" -e "${LOGFILE}" -g "${globals}" "$@"
}

start() {
  if pid_alive "${PIDFILE}"; then
    log "nginx already running (port ${GATEWAY_PORT})"
    return 0
  fi
  command -v nginx >/dev/null 2>&1 || die "nginx not installed (package nginx-light)"
  mkdir -p "${PREFIX}/tmp" "${LOCAL_DIR}/run" "${LOCAL_DIR}/logs"
  # The storefront's build, served at / (deploy/nginx/nginx.conf: root storefront).
  ln -sfn "${ROOT}/storefront/dist" "${PREFIX}/storefront"
  nginx_cmd -t -q || die "nginx config test failed: ${CONF#"${ROOT}"/}"
  log "starting nginx gateway on 127.0.0.1:${GATEWAY_PORT}"
  nginx_cmd || die "nginx did not start; see ${LOGFILE}"
  wait_until 10 "nginx on port ${GATEWAY_PORT}" port_open "${GATEWAY_PORT}" ||
    die "nginx does not listen on ${GATEWAY_PORT}; see ${LOGFILE}"
}

case "${1:-}" in
  start) start ;;
  stop) stop_pidfile nginx "${PIDFILE}" ;;
  reload)
    pid_alive "${PIDFILE}" || die "nginx is not running"
    nginx_cmd -t -q && kill -HUP "$(cat "${PIDFILE}")"
    ;;
  status)
    if pid_alive "${PIDFILE}"; then s=running; else s=stopped; fi
    printf '%-12s %-8s %s\n' nginx "${s}" "127.0.0.1:${GATEWAY_PORT}"
    ;;
  *) die "usage: $0 start|stop|status|reload" ;;
esac
