#!/usr/bin/env bash
# Builds the OCI base image of Qatysu's container image without a Docker daemon or a registry (issue 13 §3):
# a Debian trixie root filesystem made by Debian's mmdebstrap with Debian's OpenJDK 21 runtime, a system user
# qatysu (uid 10001, home /var/lib/qatysu; written into /etc/passwd as the variant has no useradd — the embedded
# PostgreSQL's initdb needs a named user), an /etc/hosts naming localhost (runtimes replace it), packed as a
# docker-save tarball that Jib reads as `tar://` base.   Usage: scripts/build-base-image.sh [OUT.tar]
# Needs root (mmdebstrap's default mode) and Debian's package mirror; installs mmdebstrap when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/image/target/base/qatysu-base.tar}"
SUITE="${QATYSU_BASE_SUITE:-trixie}"
MIRROR="${QATYSU_BASE_MIRROR:-http://deb.debian.org/debian}"
if ! command -v mmdebstrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  else
    echo "build-base-image: mmdebstrap is required (apt-get install mmdebstrap)" >&2; exit 3
  fi
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$OUT")"
echo "build-base-image: debian $SUITE + openjdk-21-jre-headless from $MIRROR ..." >&2
mmdebstrap --quiet --variant=apt --include=openjdk-21-jre-headless,ca-certificates,tzdata \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='echo "qatysu:x:10001:10001:Qatysu:/var/lib/qatysu:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='echo "qatysu:x:10001:" >> "$1/etc/group"' \
  --customize-hook='mkdir -p "$1/var/lib/qatysu" && chown 10001:10001 "$1/var/lib/qatysu" && chmod 0750 "$1/var/lib/qatysu"' \
  --customize-hook='printf "127.0.0.1 localhost\\n::1 localhost ip6-localhost ip6-loopback\\n" > "$1/etc/hosts"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  "$SUITE" "$work/layer.tar" "$MIRROR"
python3 - "$work" "$OUT" "$SUITE" <<'PY'
import hashlib, json, os, sys, tarfile
work, out, suite = sys.argv[1], sys.argv[2], sys.argv[3]
layer = os.path.join(work, "layer.tar")
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
config = {"architecture": "amd64", "os": "linux",
          "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"]},
          "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]},
          "history": [{"created_by": "mmdebstrap " + suite + " openjdk-21-jre-headless (scripts/build-base-image.sh)"}]}
cfg = json.dumps(config).encode()
cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
with open(os.path.join(work, cfg_name), "wb") as f:
    f.write(cfg)
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump([{"Config": cfg_name, "RepoTags": ["qatysu-base:" + suite], "Layers": ["layer.tar"]}], f)
with tarfile.open(out, "w") as t:
    for name in ("manifest.json", cfg_name, "layer.tar"):
        t.add(os.path.join(work, name), arcname=name)
PY
echo "$OUT"
