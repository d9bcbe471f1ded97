#!/usr/bin/env bash
# One-command set-up for vmisim: system libraries that node-canvas needs to build from source,
# Chromium for the test suite's browser test of the report, npm dependencies, the TypeScript
# build, then the built-in quickstart experiment. After it, `npm test` needs nothing else.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- Node.js -----------------------------------------------------------------------------
command -v node >/dev/null || die "Node.js 20 or newer is required (node not found on PATH)."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is required (found $(node --version))."

# --- System packages ------------------------------------------------------------------------
# node-canvas (chartjs-node-canvas renders the PNG charts) downloads a prebuilt binary when it
# can; when it cannot, it compiles against these development packages. `npm test` opens the
# report in Debian's chromium (test/reports/browser.test.ts; VMISIM_CHROMIUM names another one)
# and reads the report's tidy.csv with pandas as an analyst would (test/reports/tidy.test.ts).
debs=(libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev pkg-config fonts-dejavu-core python3-pandas)
if [ -z "${VMISIM_CHROMIUM:-}" ]; then debs+=(chromium); fi
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
  missing=()
  for p in "${debs[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
      sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    # Ubuntu has no apt package named chromium (only a snap): say so instead of failing the set-up.
    if [[ " ${missing[*]} " == *" chromium "* ]] && ! apt-cache show chromium >/dev/null 2>&1; then
      missing=("${missing[@]/chromium/}")
      echo "setup: no 'chromium' package here; for npm test install Chromium and set VMISIM_CHROMIUM to its binary" >&2
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends ${missing[@]}
  else
    say "System packages present: ${debs[*]}"
  fi
else
  echo "setup: not a Debian/Ubuntu system; if 'npm ci' fails building 'canvas', install the" >&2
  echo "       cairo, pango, libjpeg, giflib and librsvg development packages and pkg-config" >&2
  echo "       (see https://github.com/Automattic/node-canvas#compiling) and run this again." >&2
  echo "       For 'npm test', install Chromium and set VMISIM_CHROMIUM to its binary." >&2
fi

# --- npm dependencies and build ----------------------------------------------------------
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm dependencies"
  npm ci --no-audit --no-fund
fi
say "Building"
npm run --silent build

# --- The built-in quickstart experiment --------------------------------------------------
say "Running the quickstart experiment"
node dist/sim/cli/main.js run
say "Done. Open out/quickstart/report.html in a browser; PNG charts are in out/quickstart/charts/."
