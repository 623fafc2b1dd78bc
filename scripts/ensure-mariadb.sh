#!/usr/bin/env bash
# Installs Debian's mariadb-server when it is missing: MariaDbPortalTest (connectors) starts its own mariadbd from it,
# in a temporary folder on a free loopback port, and stops it. No service is started or enabled here. Idempotent.
set -euo pipefail
if [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-mariadb: mariadb-server missing and cannot install it (need root + apt-get)" >&2
  exit 1
fi
echo "ensure-mariadb: installing Debian mariadb-server ..." >&2
apt-get update -qq >/dev/null
# containers without init: policy-rc.d keeps the packaged service from starting; the test runs its own server
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null
[ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db
