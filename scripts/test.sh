#!/usr/bin/env bash
# Runs every check the way CI does: installs the system packages the tests use (when missing), installs
# the npm dependencies (when missing), then lint, type check and every test suite inside a private D-Bus
# session with an unlocked gnome-keyring (the real OS keychain). The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# command that must exist -> Debian package that provides it
declare -A NEED=(
  [dbus-run-session]=dbus
  [gnome-keyring-daemon]=gnome-keyring
  [/usr/sbin/sshd]=openssh-server
  [ssh-keygen]=openssh-client
  [chromium]=chromium
  [openssl]=openssl
  [/usr/bin/tinyproxy]=tinyproxy
  [pkg-config]=pkg-config
)
missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("${NEED[$cmd]}")
done
pkg-config --exists libsecret-1 2>/dev/null || missing+=(libsecret-1-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" dbus-x11 >/dev/null || {
    echo "Could not install ${missing[*]}: install them with apt-get and run again." >&2
    exit 1
  }
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

# keytar (the OS keychain module) is native and optional: an `npm ci` run before libsecret-1-dev was installed
# leaves it out (npm drops an optional dependency whose build failed). Now that the system packages are
# here, build it: rebuild it where it is, reinstall where npm dropped it.
keytar_loads() { node -e "require('keytar')" >/dev/null 2>&1; }
if ! keytar_loads; then
  if [ -f node_modules/keytar/package.json ]; then
    echo "Building the keychain module (keytar) against libsecret ..." >&2
    npm rebuild keytar >/dev/null 2>&1
  fi
  if ! keytar_loads; then
    echo "The keychain module (keytar) is not installed (it could not build before libsecret-1-dev was there): reinstalling the npm dependencies ..." >&2
    npm ci --no-audit --no-fund || exit 1
  fi
  keytar_loads || echo "keytar still does not load: the keychain tests will fail. Check that libsecret-1-dev, python3, make and g++ are installed." >&2
fi

mkdir -p test-results
status=0

# The leak scan (scripts/leak-scan.ts, after the last suite): every suite runs with a temp folder of this
# run's own and keeps its temp data folders (EXPORTDESK_KEEP_TEMP), every value given to a secret store or
# issued by a simulator is registered (EXPORTDESK_SECRET_LOG) and every message sent to a page is recorded
# (EXPORTDESK_RENDERER_FRAMES); then every file left there and in test-results/ is searched for them.
# 755: the SFTP tests' OpenSSH user (exportdesk-sftp) must reach the folders it serves inside.
scan_run=$(mktemp -d)
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"; [ -n "${keep_scan_run:-}" ] || rm -rf "$scan_run"' EXIT
chmod 755 "$scan_run"
mkdir -m 755 "$scan_run/tmp"
export TMPDIR="$scan_run/tmp"
export EXPORTDESK_KEEP_TEMP=1
export EXPORTDESK_SECRET_LOG="$scan_run/secrets.jsonl"
export EXPORTDESK_RENDERER_FRAMES="$TMPDIR/renderer-frames"
rm -f test-results/leak-scan.json
echo "== lint" >&2
npm run --silent lint || status=1
echo "== type check" >&2
npm run --silent typecheck || status=1

echo "== unit and integration tests (Vitest, real keychain over D-Bus)" >&2
rm -f test-results/vitest.json
# A keyring of its own each run (made above, outside the scanned folder: the keychain is where secrets
# belong): an existing login keyring with another password would stay locked.
XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c '
  echo -n exportdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  EXPORTDESK_REQUIRE_KEYCHAIN=1 npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
' || status=1

echo "== Electron configuration (Electronegativity, offline)" >&2
rm -f test-results/electronegativity.json
npm run --silent security:electron -- --json test-results/electronegativity.json || status=1

echo "== fault matrix (npm run test:faults)" >&2
rm -f test-results/faults.json
npx vitest run -c vitest.faults.config.ts --reporter=default --reporter=json --outputFile.json=test-results/faults.json || status=1

echo "== end-to-end tests (Playwright, Chromium, browser mode)" >&2
rm -f test-results/playwright.json
if npm run --silent build >/dev/null; then
  EXPORTDESK_NO_BROWSER=1 npx playwright test || status=1
else
  echo "The build failed: end-to-end tests not run." >&2
  status=1
fi

echo "== leak scan (every registered secret in every file the suites left)" >&2
du -sh "$TMPDIR" >&2
if ! node bin/run-ts.mjs scripts/leak-scan.ts --registry "$EXPORTDESK_SECRET_LOG" --out test-results/leak-scan.json \
  --root "TMPDIR=$TMPDIR" --root test-results=test-results --expect "messages to the page=$EXPORTDESK_RENDERER_FRAMES"; then
  status=1
  keep_scan_run=1
  echo "Kept for inspection: $scan_run (tmp/: what the suites left; secrets.jsonl: the registered values)." >&2
fi

node scripts/test-summary.mjs test-results/vitest.json test-results/faults.json test-results/electronegativity.json test-results/playwright.json test-results/leak-scan.json || status=1
exit $status
