#!/usr/bin/env bash
# Installs what the machine lacks: Debian packages, the Kafka broker jars, the Python venv, the
# npm packages of the storefront and of the browser tests.
# Idempotent; a second run touches the network only if something is missing.
# Usage: scripts/install.sh [all|packages|kafka|venv|npm]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang-format clang-tidy
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libjwt-dev librdkafka-dev
  libhiredis-dev libjemalloc-dev libpq-dev libyaml-cpp-dev libspdlog-dev libssl-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev redis-server postgresql-15 nginx-light wrk kafkacat maven
  openjdk-17-jre-headless python3-venv jq
  chromium fonts-dejavu-core
)

KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
# The broker logs through SLF4J 1.7 but its runtime dependencies carry no binding; this one
# routes its log lines to log4j2 (same version as the log4j-core it brings) so that
# .local/logs/kafka.log shows what the broker does.
LOG4J_VERSION="${LOG4J_VERSION:-2.25.5}"
KAFKA_LIBS="${LOCAL_DIR}/kafka-libs"
VENV="${LOCAL_DIR}/venv"
PY_REQUIREMENTS="${ROOT}/tools/contracts/requirements.txt"

install_packages() {
  local missing=() p
  for p in "${DEB_PACKAGES[@]}"; do
    if ! dpkg -s "${p}" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("${p}")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} by hand"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  # The Debian packages start system-wide daemons on install; ours run on their own ports,
  # so the system ones are not needed. Stopping them is best effort (no systemd in containers).
  local svc
  for svc in redis-server postgresql nginx; do
    if [[ " ${missing[*]} " == *" ${svc}"* ]] && command -v service >/dev/null 2>&1; then
      "${sudo[@]}" service "${svc}" stop >/dev/null 2>&1 || true
    fi
  done
}

install_kafka() {
  if [[ -f "${KAFKA_LIBS}/kafka_2.13-${KAFKA_VERSION}.jar" &&
    -f "${KAFKA_LIBS}/log4j-slf4j-impl-${LOG4J_VERSION}.jar" ]]; then
    return 0
  fi
  log "downloading Apache Kafka ${KAFKA_VERSION} broker jars into ${KAFKA_LIBS} (Maven)"
  local work rc=0
  work="$(mktemp -d)"
  cat >"${work}/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.checkout</groupId>
  <artifactId>kafka-broker-libs</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${KAFKA_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version>
    </dependency>
  </dependencies>
</project>
POM
  rm -rf "${KAFKA_LIBS}.tmp"
  mkdir -p "${KAFKA_LIBS}.tmp"
  (cd "${work}" && mvn -B -q -Dstyle.color=never dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="${KAFKA_LIBS}.tmp") || rc=$?
  rm -rf "${work}"
  ((rc == 0)) || die "Maven could not fetch the Kafka jars (exit ${rc})"
  [[ -f "${KAFKA_LIBS}.tmp/kafka_2.13-${KAFKA_VERSION}.jar" ]] ||
    die "Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is missing"
  rm -rf "${KAFKA_LIBS}"
  mv "${KAFKA_LIBS}.tmp" "${KAFKA_LIBS}"
  log "Kafka jars: $(find "${KAFKA_LIBS}" -name '*.jar' | wc -l) files"
}

install_venv() {
  [[ -f "${PY_REQUIREMENTS}" ]] || return 0
  local stamp="${VENV}/.requirements.sha256" want
  want="$(sha256sum "${PY_REQUIREMENTS}" | cut -d' ' -f1)"
  if [[ -x "${VENV}/bin/python" && -f "${stamp}" && "$(cat "${stamp}")" == "${want}" ]]; then
    return 0
  fi
  log "creating Python venv ${VENV} from ${PY_REQUIREMENTS#"${ROOT}"/}"
  [[ -x "${VENV}/bin/python" ]] || python3 -m venv "${VENV}"
  "${VENV}/bin/pip" install -q --disable-pip-version-check -r "${PY_REQUIREMENTS}"
  echo "${want}" >"${stamp}"
}

# The npm projects: each folder with a package-lock.json gets `npm ci` when its lock file changed
# since the last install (a stamp in node_modules), so a second run stays offline.
NPM_PROJECTS=("${ROOT}/storefront" "${ROOT}/tests/browser")

install_npm() {
  local dir stamp want
  for dir in "${NPM_PROJECTS[@]}"; do
    [[ -f "${dir}/package-lock.json" ]] || continue
    command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 (${dir#"${ROOT}"/} needs it)"
    stamp="${dir}/node_modules/.lock.sha256"
    want="$(sha256sum "${dir}/package-lock.json" | cut -d' ' -f1)"
    if [[ -f "${stamp}" && "$(cat "${stamp}")" == "${want}" ]]; then
      continue
    fi
    log "npm ci in ${dir#"${ROOT}"/}"
    (cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error)
    echo "${want}" >"${stamp}"
  done
}

main() {
  mkdir -p "${LOCAL_DIR}"
  case "${1:-all}" in
    all)
      install_packages
      install_kafka
      install_venv
      install_npm
      ;;
    packages) install_packages ;;
    kafka) install_kafka ;;
    venv) install_venv ;;
    npm) install_npm ;;
    *) die "usage: $0 [all|packages|kafka|venv|npm]" ;;
  esac
}

main "$@"
