#!/usr/bin/env bash
# Builds and runs every test: a gcc build, an ASan+UBSan build and a clang build, each with
# warnings as errors. Ends with one line "N passed, N failed" over all of them.
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages || exit 1

total_ok=0
total_fail=0
status=0

# run_suite NAME DIR [meson setup options...]
run_suite() {
    local name="$1" dir="$2"
    shift 2
    echo "== $name"
    if ! hh_build "$dir" "$@"; then
        echo "hotswap-harness: the $name build failed" >&2
        total_fail=$((total_fail + 1))
        status=1
        return
    fi
    if ! meson test -C "$HH_ROOT/$dir" --print-errorlogs --num-processes 2; then
        status=1
    fi
    local counts
    counts=$(python3 "$HH_ROOT/scripts/testlog-counts.py" "$HH_ROOT/$dir/meson-logs/testlog.json")
    total_ok=$((total_ok + ${counts% *}))
    total_fail=$((total_fail + ${counts#* }))
}

run_suite "gcc" build
run_suite "gcc ASan+UBSan" build-asan -Db_sanitize=address,undefined -Db_lundef=false
CC=clang run_suite "clang" build-clang

echo "$total_ok passed, $total_fail failed"
exit $status
