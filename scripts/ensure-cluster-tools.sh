#!/usr/bin/env bash
# Installs what the two-node cluster tests (module cluster: ClusterTest, ProxyLaunchInChromiumTest) need when it is
# missing: Debian's nginx (TLS reverse proxy in front of two tool nodes), postgresql (the external database, started
# by the test from /usr/lib/postgresql/<major>/bin as the postgres user; no cluster or service is used) and openssl
# (the test CA). Idempotent. Exit 1 when something is missing and cannot be installed.
set -euo pipefail
missing=()
{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || missing+=(nginx-light)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-cluster-tools: ${missing[*]} missing and cannot install them (need root + apt-get)" >&2
  exit 1
fi
echo "ensure-cluster-tools: installing Debian ${missing[*]} ..." >&2
apt-get update -qq >/dev/null
# policy-rc.d: no service is started (containers have no init; the tests start nginx and postgres themselves)
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && created_policy=true
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
  [ "$created_policy" = true ] && rm -f "$policy"; exit 1; }
[ "$created_policy" = true ] && rm -f "$policy"
{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
  && command -v openssl >/dev/null 2>&1
