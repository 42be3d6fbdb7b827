#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (never a downloaded browser build).
# In CI it must succeed; on a laptop without root it says so and the browser tests skip.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif [ "${CI:-}" = "true" ]; then
  echo "CI needs Debian's chromium package and cannot install it (not root)." >&2
  exit 1
else
  echo "Chromium is not installed and this user cannot install it: browser tests will be skipped." >&2
fi
