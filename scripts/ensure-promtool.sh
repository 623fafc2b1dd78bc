#!/usr/bin/env bash
# Installs promtool when it is missing (Debian's prometheus package; only the binary is used, by the test that checks
# config/observability/qatysu-alerts.yml). Idempotent.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-promtool: promtool missing and cannot install it (need root + apt-get)" >&2
  exit 1
fi
echo "ensure-promtool: installing Debian prometheus (for promtool) ..." >&2
apt-get update -qq >/dev/null
# no service is started: policy-rc.d-less containers have no init, and the test runs only the promtool binary
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool
