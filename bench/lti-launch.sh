#!/usr/bin/env bash
# LTI launch benchmark: Qatysu's tool vs ltijs, side by side in one run on this machine, then the whole
# login + launch + landing flow for many simulated users. Results: bench/target/lti-bench/results.md
# (copied by hand into docs/BENCHMARKS.md, section "LTI launch"). Loopback only; every loop is bounded.
#
#   bench/lti-launch.sh                      defaults: --n 5000 --c 8,64,400 --users 400 --launches 6000
#   bench/lti-launch.sh --c 400 --n 2000     options: --n --c --warmup --users --launches --flow-warmup --max-seconds --skip-ltijs true
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    [ -x "$d/bin/java" ] && { export JAVA_HOME="$d"; break; }
  done
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v node >/dev/null || { echo "lti-launch: node is required (apt-get install nodejs npm)" >&2; exit 3; }
command -v mvn >/dev/null || { echo "lti-launch: mvn is required (apt-get install maven)" >&2; exit 3; }

PEER="$ROOT/../shared/peers/ltijs"
[ -f "$PEER/peer.js" ] || { echo "lti-launch: the ltijs peer is expected at $PEER (shared/peers/ltijs)" >&2; exit 3; }

# The peer's dependencies, installed at run time into a git-ignored folder (never committed).
NODE_DIR="$ROOT/bench/target/ltijs-node"
if [ ! -d "$NODE_DIR/node_modules/ltijs" ] || [ ! -d "$NODE_DIR/node_modules/pg" ]; then
  mkdir -p "$NODE_DIR"
  echo '{"name":"ltijs-bench-peer","private":true}' > "$NODE_DIR/package.json"
  echo "lti-launch: npm install ltijs + ltijs-sequelize (PostgreSQL) into $NODE_DIR ..." >&2
  (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error \
      ltijs@5.9.9 ltijs-sequelize@2.4.4 pg@8 pg-hstore@2 jsonwebtoken@9 cookie-signature@1 >/dev/null)
fi

echo "lti-launch: building the tool, the demo platform and the benchmark ..." >&2
mvn -B -q -Dstyle.color=never -pl bench -am package -DskipTests

exec "$JAVA" -Xmx2g -Dfile.encoding=UTF-8 -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" \
  kz.qatysu.bench.lti.LtiLaunchBench --repo "$ROOT" --peer-dir "$PEER" --node-modules "$NODE_DIR/node_modules" "$@"
