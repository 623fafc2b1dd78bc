#!/usr/bin/env bash
# Installs Debian's chromium and chromedriver for the browser tests when they are missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: chromium/chromedriver missing and cannot install them (need root + apt-get)" >&2
  exit 1
fi
echo "ensure-browser: installing Debian chromium + chromium-driver ..." >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
command -v chromium && command -v chromedriver
