#!/usr/bin/env bash
# Common helpers for the dev scripts. Source it; do not run it.
# shellcheck shell=bash

# Repository root (this file lives in <root>/scripts).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
LOCAL_DIR="${ROOT}/.local"
export LOCAL_DIR

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarn:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# pid_alive PIDFILE: true if PIDFILE names a live process.
pid_alive() {
  local pidfile="$1" pid
  [[ -s "${pidfile}" ]] || return 1
  pid="$(tr -dc '0-9' <"${pidfile}")"
  [[ -n "${pid}" ]] || return 1
  kill -0 "${pid}" 2>/dev/null
}

# stop_pidfile NAME PIDFILE: SIGTERM (or $STOP_SIGNAL), wait up to 10 s, then SIGKILL.
# Removes the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" sig="${STOP_SIGNAL:-TERM}" pid i
  if ! pid_alive "${pidfile}"; then
    rm -f "${pidfile}"
    return 0
  fi
  pid="$(tr -dc '0-9' <"${pidfile}")"
  log "stopping ${name} (pid ${pid})"
  kill -"${sig}" "${pid}" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "${pid}" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "${pid}" 2>/dev/null; then
    warn "${name} did not stop in 10 s; sending SIGKILL"
    kill -KILL "${pid}" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "${pidfile}"
}

# port_open PORT: true if something listens on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until SECONDS DESCRIPTION CMD...: retry CMD every 0.25 s until it succeeds or time runs out.
wait_until() {
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      warn "timed out waiting for ${what}"
      return 1
    fi
    sleep 0.25
  done
}

# kcat binary name (Debian 12 ships /usr/bin/kcat; the kafkacat package is transitional).
kcat_bin() {
  if command -v kcat >/dev/null 2>&1; then
    echo kcat
  elif command -v kafkacat >/dev/null 2>&1; then
    echo kafkacat
  else
    return 1
  fi
}
