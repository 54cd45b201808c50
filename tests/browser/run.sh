#!/usr/bin/env bash
# The storefront's browser tests (ctest storefront_browser_test, label browser): starts the whole
# stack on the test infrastructure (stack.mjs), runs every scenario in headless chromium
# (scenarios.mjs) and stops the stack. Exits 77 (ctest: skipped) with the reason when something
# it needs is not there: node, chromium, the npm packages, the storefront's build, the dev sign-in.
# Usage: tests/browser/run.sh [BUILD_DIR] [node --test options, e.g. --test-name-pattern=payu]
# Environment: UPDATE_SCREENSHOTS=1 rewrites docs/storefront.png; CHROMIUM (default
# /usr/bin/chromium); BROWSER_STOREFRONT_DIST (a built page to test instead of building one),
# BROWSER_DEV_AUTH (another sign-in binary), BROWSER_KEEP_SCHEMAS=1 (keep the PostgreSQL schemas).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HERE}/../.." && pwd)"
BUILD_DIR="$(cd "${1:-${ROOT}/build}" && pwd)" || exit 1
shift || true

skip() {
  echo "SKIPPED storefront_browser_test: $*"
  exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed (Node.js 20: scripts/install.sh)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "${CHROMIUM}" ]] || skip "no chromium at ${CHROMIUM} (Debian package chromium: scripts/install.sh)"
[[ -d "${HERE}/node_modules/playwright-core" && -d "${HERE}/node_modules/axe-core" ]] ||
  skip "the npm packages are not installed: (cd tests/browser && npm ci), or scripts/install.sh npm"
# The page under test: built from storefront/ into the test output when its npm packages are
# installed (./dev test does not build storefront/dist; a dist left from an older source would be
# tested otherwise), else storefront/dist as it is.
if [[ -z "${BROWSER_STOREFRONT_DIST:-}" && -d "${ROOT}/storefront/node_modules" ]]; then
  BROWSER_STOREFRONT_DIST="${BUILD_DIR}/test-output/browser/storefront-dist"
  mkdir -p "${BUILD_DIR}/test-output/browser"
  echo "building the storefront into ${BROWSER_STOREFRONT_DIST#"${ROOT}"/}"
  if ! (cd "${ROOT}/storefront" && npm run --silent build -- --outDir "${BROWSER_STOREFRONT_DIST}" --emptyOutDir \
    >"${BUILD_DIR}/test-output/browser/storefront-build.log" 2>&1); then
    cat "${BUILD_DIR}/test-output/browser/storefront-build.log"
    echo "FAILED: the storefront does not build (npm run build in storefront/)"
    exit 1
  fi
  export BROWSER_STOREFRONT_DIST
fi
[[ -n "${BROWSER_STOREFRONT_DIST:-}" || -f "${ROOT}/storefront/dist/index.html" ]] ||
  skip "storefront/dist is not built and storefront/node_modules is missing: (cd storefront && npm ci && npm run build)"
[[ -n "${BROWSER_DEV_AUTH:-}" || -x "${BUILD_DIR}/tools/dev_auth/dev_auth" ]] ||
  skip "the dev sign-in ${BUILD_DIR}/tools/dev_auth/dev_auth is not built (tools/dev_auth)"

export BUILD_DIR CHROMIUM
cd "${HERE}" || exit 1
exec node --test --test-reporter=spec "$@" "${HERE}/storefront.test.mjs"
