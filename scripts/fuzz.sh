#!/bin/sh
# Builds the libFuzzer targets (clang 14, ASan + UBSan; fuzz/README.md) in their own build dir and
# runs each one, printing its executions, exec/s and result.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      # default 60; FUZZ_RUNS=N instead: N executions each
#
# Environment: FUZZ_BUILD (build-fuzz), FUZZ_TARGETS (all: "json_body resident_id shc ws_frame
# csv_import router"), FUZZ_PARALLEL (targets run at once, default 1), FUZZ_RUNS (executions per
# target instead of a time bound; the long run uses FUZZ_RUNS=10000000 under nice -n 19),
# FUZZ_MAX_SECONDS (with FUZZ_RUNS: stop a target at this time even short of its runs).
# The committed seeds (fuzz/corpus/<target>/) are read only; inputs found are kept in
# $FUZZ_BUILD/corpus/<target>/ and a crash is saved as $FUZZ_BUILD/artifacts/<target>-crash-*.
# Exits non-zero when any target crashed, leaked, timed out or found an invariant broken.
set -eu
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
BUILD=${FUZZ_BUILD:-build-fuzz}
TARGETS=${FUZZ_TARGETS:-"json_body resident_id shc ws_frame csv_import router"}
PARALLEL=${FUZZ_PARALLEL:-1}
RUNS=${FUZZ_RUNS:-}

if [ ! -f "$BUILD/build.ninja" ]; then
  launcher=""
  command -v ccache >/dev/null 2>&1 && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DIHOS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    $launcher >/dev/null
fi
targets=""
for t in $TARGETS; do targets="$targets ${t}_fuzz"; done
# ninja's output (the compiler's errors) is shown only when the build fails.
ninja -C "$BUILD" -j2 $targets >"$BUILD/ninja.log" 2>&1 || { cat "$BUILD/ninja.log"; exit 1; }
# FUZZ_BUILD_ONLY=1: build the targets and stop (make test builds them with everything else).
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0

mkdir -p "$BUILD/artifacts" "$BUILD/logs"
run_one() {
  t=$1
  mkdir -p "$BUILD/corpus/$t"
  if [ -n "$RUNS" ]; then bound="-runs=$RUNS"; else bound="-max_total_time=$SECONDS_PER_TARGET"; fi
  [ -n "${FUZZ_MAX_SECONDS:-}" ] && bound="$bound -max_total_time=$FUZZ_MAX_SECONDS"
  # Inputs no longer than the family needs: an ID number is 18 characters, a route target a
  # line, a CSV file or a JSON body a few kilobytes of seeds' size.
  case $t in
    resident_id) max_len=64 ;;
    router) max_len=1024 ;;
    *) max_len=4096 ;;
  esac
  log="$BUILD/logs/$t.log"
  rc=0
  TMPDIR="${TMPDIR:-/tmp}" "$BUILD/fuzz/${t}_fuzz" "$BUILD/corpus/$t" "fuzz/corpus/$t" $bound -max_len=$max_len \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then result=ok; else result="FAILED (exit $rc; see $log)"; fi
  printf '%-12s executions %-12s exec/s %-8s %s\n' "$t" "${execs:-?}" "${speed:-?}" "$result"
  return "$rc"
}

status=0
if [ "$PARALLEL" -le 1 ]; then
  for t in $TARGETS; do run_one "$t" || status=1; done
else
  # N at a time: each batch's results print as the batch ends.
  set -- $TARGETS
  while [ $# -gt 0 ]; do
    pids=""
    n=0
    while [ $# -gt 0 ] && [ $n -lt "$PARALLEL" ]; do
      run_one "$1" > "$BUILD/logs/$1.result" 2>&1 &
      pids="$pids $!:$1"
      n=$((n + 1))
      shift
    done
    for p in $pids; do
      wait "${p%%:*}" || status=1
      cat "$BUILD/logs/${p#*:}.result"
    done
  done
fi
[ "$status" -eq 0 ] && echo "fuzz: all targets ok" || echo "fuzz: FAILED"
exit "$status"
