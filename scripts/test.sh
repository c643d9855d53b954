#!/usr/bin/env bash
# Everything CI runs, about 15 minutes on 2 cores: builds and runs every test in a gcc build,
# an ASan+UBSan build and a clang build (warnings as errors), the Windows build under Wine
# (scripts/test-windows.sh: MinGW-w64, Wine, cJSON's source), and the fuzz smoke
# (scripts/fuzz-smoke.sh: build-fuzz/, build-cflite/, five minutes of fuzzing). Installs the
# Debian packages that are missing (about 33 on a fresh machine). Prints a line per stage
# with the time so far, a build's output when it fails, and ends with one line "N passed,
# N failed" over all of them.
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_stage "test.sh: three Linux builds, the Windows build under Wine, the fuzz smoke (about 15 minutes on 2 cores)"
hh_ensure_packages chromium || exit 1 # chromium: the timeline pages in a real browser

total_ok=0
total_fail=0
status=0
# What did not pass, a line each, printed again at the end where a log's tail shows it.
failures=$(mktemp)
trap 'rm -f "$failures"' EXIT

# run_suite NAME DIR [meson setup options...]
run_suite() {
    local name="$1" dir="$2"
    shift 2
    hh_stage "$name: building $dir/"
    if ! hh_build "$dir" "$@"; then
        echo "hotswap-harness: the $name build failed" >&2
        echo "$name: the build of $dir/" >>"$failures"
        total_fail=$((total_fail + 1))
        status=1
        return
    fi
    hh_stage "$name: running its tests (meson test -C $dir)"
    if ! meson test -C "$HH_ROOT/$dir" --print-errorlogs --num-processes 2; then
        status=1
    fi
    local counts
    counts=$(python3 "$HH_ROOT/scripts/testlog-counts.py" "$HH_ROOT/$dir/meson-logs/testlog.json" \
             "$failures" "$name")
    total_ok=$((total_ok + ${counts% *}))
    total_fail=$((total_fail + ${counts#* }))
}

# run_counted NAME PREFIX COMMAND...: runs a script whose output ends with a line
# "PREFIXN passed, N failed" and adds its counts to the totals (a missing line is a failure).
run_counted() {
    local name="$1" prefix="$2" log line ok bad
    shift 2
    log=$(mktemp)
    "$@" | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    # The scripts name what failed on lines "FAILED ..." or "hotswap-harness: failed ...".
    grep -E "^(FAILED |hotswap-harness: failed )" "$log" | sed "s/^/$name: /" >>"$failures"
    line=$(grep -E "^$prefix[0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1)
    rm -f "$log"
    if [ -z "$line" ]; then
        echo "hotswap-harness: $name printed no count" >&2
        echo "$name: printed no count" >>"$failures"
        total_fail=$((total_fail + 1))
        status=1
        return
    fi
    ok=${line#"$prefix"}
    ok=${ok%% passed*}
    bad=${line#*, }
    bad=${bad%% failed*}
    total_ok=$((total_ok + ok))
    total_fail=$((total_fail + bad))
}

# The Windows target: MinGW-w64 cross build, every test and example under Wine
# (scripts/test-windows.sh, which fails on any skip); its "N passed, N failed" joins the total.
run_windows_suite() {
    hh_stage "Windows: MinGW-w64 build in build-win/, every test under Wine (scripts/test-windows.sh)"
    run_counted "the Windows suite" "" bash "$HH_ROOT/scripts/test-windows.sh"
}

run_suite "gcc" build
run_suite "gcc ASan+UBSan" build-asan -Db_sanitize=address,undefined -Db_lundef=false
CC=clang run_suite "clang" build-clang
run_windows_suite

# The fuzz smoke (scripts/fuzz-smoke.sh, about five minutes on two cores): a clang libFuzzer
# build with ASan+UBSan, its fuzz suite, every planted bug found within its bound and nothing
# in the correct routines, and the ClusterFuzzLite build. Its cases join the total.
run_fuzz_smoke() {
    hh_stage "fuzz smoke: build-fuzz/ and build-cflite/, about five minutes of fuzzing (scripts/fuzz-smoke.sh)"
    run_counted "the fuzz smoke" "fuzz smoke: " bash "$HH_ROOT/scripts/fuzz-smoke.sh" build-fuzz
}

run_fuzz_smoke

hh_stage "test.sh: done"
if [ -s "$failures" ]; then
    echo "what did not pass:"
    sed 's/^/  /' "$failures"
fi
echo "$total_ok passed, $total_fail failed"
exit $status
