#!/usr/bin/env bash
# Benchmarks (./qatysu bench ...). Each writes its results and the exact command into docs/BENCHMARKS.md by hand.
#   ./qatysu bench lti [options]    LTI launch: Qatysu vs ltijs, and the whole flow for many users (bench/lti-launch.sh)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
what="${1:-help}"
case "$what" in
  lti) shift; exec "$HERE/lti-launch.sh" "$@" ;;
  *)
    sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'
    [ "$what" = help ] || exit 2 ;;
esac
