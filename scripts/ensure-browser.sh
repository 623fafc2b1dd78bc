#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's chromium and chromedriver, ffmpeg (fake-camera
# videos, recording playback) and xvfb (the screen-sharing test on a virtual screen). Idempotent.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
{ command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; } || missing+=(ffmpeg)
{ command -v Xvfb >/dev/null 2>&1 && command -v xvfb-run >/dev/null 2>&1; } || missing+=(xvfb)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: ${missing[*]} missing and cannot install them (need root + apt-get)" >&2
  exit 1
fi
echo "ensure-browser: installing Debian ${missing[*]} ..." >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
command -v chromium && command -v chromedriver && command -v ffmpeg && command -v Xvfb
