#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser test when it is missing (CI starts from a
# fresh machine). Needs root and apt-get; exits non-zero with a reason otherwise.
set -euo pipefail
CHROMIUM=${FERRY_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium or set FERRY_SKIP_BROWSER_TESTS=1" >&2
  exit 2
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (apt-get install chromium); set FERRY_SKIP_BROWSER_TESTS=1 to skip the console test" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2; exit 3; }
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
