#!/usr/bin/env bash
# Benchmarks (./qatysu bench ...). Each writes its results and the exact command into docs/BENCHMARKS.md by hand.
#   ./qatysu bench lti [options]    LTI launch: Qatysu vs ltijs, and the whole flow for many users (bench/lti-launch.sh)
#   ./qatysu bench sync [students sections enrolmentsPerStudent entriesPerSection]   nightly sync of a synthetic university
#   ./qatysu bench sync-paced [concurrency...]   the first night at a real Moodle's pace (fake Moodle), e.g. 1 4
#   ./qatysu bench attendance [students disciplines sessions dbSections dbStudentsPerSection]   grid save, full and incremental recompute
#   ./qatysu bench attendance-load [writers seconds warmupSeconds students sessionsPerSection]   many teachers saving grids at once
#   ./qatysu bench faces [frames=10000] [threads=2]   face analysis (detect + align + embed) frames/s and RSS on 640x480 frames
#   ./qatysu bench proctoring-ingest [examinees=400] [seconds=120] [intervalSeconds=10] [maxDrainSeconds=1800]   examinees' snapshots, events, chunks over HTTP
#   ./qatysu bench beside-analysis [launches=3000] [gridWriters=50] [gridSeconds=15] [examinees=100] [snapshotsPerExaminee=40]   launches and grid saves with the analysis worker idle, then busy
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
what="${1:-help}"
case "$what" in
  lti) shift; exec "$HERE/lti-launch.sh" "$@" ;;
  sync) shift; exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.sync.SyncBenchmark "$@" ;;
  sync-paced) shift; exec "$JAVA_HOME/bin/java" -Xmx512m -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.sync.PacedMoodleBenchmark "$@" ;;
  faces) shift; exec "$JAVA_HOME/bin/java" -Xmx256m --enable-native-access=ALL-UNNAMED -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.faces.FaceBenchmark "$@" ;;
  proctoring-ingest) shift; exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.proctoring.ProctoringIngestBenchmark "$@" ;;
  beside-analysis) shift; exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.proctoring.BesideAnalysisBenchmark "$@" ;;
  attendance) shift; exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.attendance.AttendanceBenchmark "$@" ;;
  attendance-load) shift; exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$HERE/target/classes:$HERE/target/lib/*" kz.qatysu.bench.attendance.ConcurrentGridSaves "$@" ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    [ "$what" = help ] || exit 2 ;;
esac
