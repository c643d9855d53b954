#!/usr/bin/env bash
# fuzz-smoke.sh - the CI fuzz smoke. Builds the fuzzing build (scripts/fuzz-build.sh), checks
# corpus/ is current, runs `meson test --suite fuzz` there, then fuzzes through
# `hotswap-harness fuzz` with a fixed seed, two at a time:
#   * every wrong example routine: its planted bug must be found, by the rule named, within
#     its bound (seconds); the finding is then replayed into a scenario that `run` fails;
#   * every correct routine: FUZZ_SMOKE_QUIET seconds (default 5) with no finding;
#   * the scenario parser: FUZZ_SMOKE_PARSER seconds (default 30) with no finding;
#   * fuzzing from an outside project with the harness installed (tests/install/
#     fuzz_your_driver_test.sh, docs/fuzzing-your-driver.md followed step by step);
#   * .clusterfuzzlite/build.sh, run by scripts/fuzz-cflite-check.sh.
# Prints a table (case, expected, got, seconds, executions) and ends with
# "fuzz smoke: N passed, N failed"; exit 0 only when everything held.
#
#   scripts/fuzz-smoke.sh [BUILD-DIR]   (default build-fuzz)
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
cd "$HH_ROOT"
build=${1:-build-fuzz}
quiet=${FUZZ_SMOKE_QUIET:-5}
parser=${FUZZ_SMOKE_PARSER:-30}
out="$build/fuzz-smoke"

# target | configuration | options ("--x" of `fuzz`, "-x=y" of libFuzzer) | expected rule
# ("none": nothing) | bound (s). Bounds: docs/fuzzing.md has the measured times beside them.
must_find="
status-sequence|fuzz/examples/firmware_update.json|-max_len=64|invariant|240
model|fuzz/examples/journal_guard.json||pool-leak|60
model|fuzz/examples/request_queue.json||pool-leak|60
status-sequence|fuzz/examples/status_table.json|--any-status|crash|60
status-sequence|examples/broken/config_worker_holds_mutex.json||held-at-return|30
model|examples/broken/config_worker_holds_mutex.json||held-at-return|30
status-sequence|examples/broken/device_reset_waits_forever.json||deadlock|30
model|examples/broken/device_reset_waits_forever.json||deadlock|30
status-sequence|examples/broken/drain_worker_spins_on_poll.json||livelock|30
model|examples/broken/drain_worker_spins_on_poll.json||livelock|30
model|examples/broken/queue_worker_drains_first_ignores_stop.json||invariant|30
status-sequence|fuzz/examples/configs/queue_worker_exits_on_timeout.json||invariant|30
schedule|examples/broken/work_queue_driver_clears_outside_lock.json||expectation|30
model|fuzz/examples/configs/queue_worker_exits_on_timeout.json||invariant|30
status-sequence|scenarios/resource_guard_takes_released_lock.json||livelock|30
model|scenarios/resource_guard_takes_released_lock.json||livelock|30
"

# Correct routines: every scenario but resource_guard's (it spins once its lock is free,
# the livelock found above) and those that start a driver (the fuzz targets play a scenario's
# routine), and the planted examples where their target cannot reach.
quiet_cases() {
    local f t
    for f in scenarios/*.json; do
        case "$f" in scenarios/resource_guard_*) continue ;; esac
        grep -q '"driver":' "$f" && continue
        for t in status-sequence model; do
            echo "$t|$f||none|$quiet"
        done
    done
    echo "status-sequence|fuzz/examples/status_table.json||none|$quiet"
    echo "status-sequence|fuzz/examples/journal_guard.json||none|$quiet"
    echo "status-sequence|fuzz/examples/request_queue.json||none|$quiet"
    echo "schedule|examples/explore/work_queue_driver_concurrent_producer.json||none|$quiet"
}

hh_stage "fuzz smoke: the fuzzing build in $build/ (clang, libFuzzer, ASan+UBSan)"
bash scripts/fuzz-build.sh "$build" || exit 1
harness="$build/harness/cli/hotswap-harness"
modules=(-M "$build/scenarios" -M "$build/examples" -M "$build/fuzz/examples")
rm -rf "$out"
mkdir -p "$out"
status=0
hh_stage "fuzz smoke: corpus/ current, the fuzz suite (meson test --suite fuzz)"
bash scripts/fuzz-corpus.sh --check "$build" >"$out/corpus-check.log" 2>&1 || {
    grep -v 'Aborted\|no .* seed from' "$out/corpus-check.log" | tail -20
    status=1
}
meson test -C "$build" --suite fuzz --print-errorlogs --num-processes 2 \
    >"$out/meson-test.log" 2>&1 || { tail -40 "$out/meson-test.log"; status=1; }

# What a finding's output says broke: the harness's own line, else libFuzzer's or LSan's.
rule_of() {
    local r
    r=$(grep -m1 -o '==hotswap-harness== FINDING in .*: rule [a-z-]*' "$1" | sed 's/.* rule //')
    if [ -n "$r" ]; then echo "$r"
    elif grep -q 'libFuzzer: timeout' "$1"; then echo timeout
    elif grep -q 'LeakSanitizer' "$1"; then echo leak
    elif grep -q 'deadly signal\|Sanitizer' "$1"; then echo crash
    else echo none; fi
}

# One case: fuzz, judge, and for a finding that is not a crash, the emitted scenario.
run_case() {
    local n="$1" target="$2" config="$3" opts="$4" want="$5" bound="$6"
    local stem dir log start end rule execs verdict=ok seconds seeds note=""
    stem=$(basename "$config" .json)
    dir="$out/$n-$target-$stem"
    log="$dir/fuzz.log"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    seeds="corpus/$target/$stem"
    [ "$target" = scenario-parser ] && seeds="corpus/scenario-parser"
    [ -d "$seeds" ] && cp "$seeds"/* "$dir/corpus/"
    # "--x" options are the harness's, "-x=y" libFuzzer's
    local o pre="" post=""
    for o in $opts; do
        case "$o" in --*) pre="$pre $o" ;; *) post="$post $o" ;; esac
    done
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$harness" fuzz --target "$target" $pre "${modules[@]}" "$config" -- -seed=1 $post \
        -max_total_time="$bound" -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
        "$dir/corpus" >"$log" 2>&1
    end=$(date +%s.%N)
    seconds=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
    rule=$(rule_of "$log")
    execs=$(grep -m1 -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    [ "$rule" = "$want" ] || verdict=FAILED
    if [ "$verdict" = ok ] && [ "$want" != none ] && [ "$want" != crash ]; then
        local scenario="$dir/regression.json"
        "$harness" replay "${modules[@]}" "$config" "$(ls "$dir"/artifacts/* | head -1)" \
            --emit-scenario "$scenario" >"$dir/replay.log" 2>&1
        [ -f "$scenario" ] && "$harness" run "${modules[@]}" "$scenario" >"$dir/run.log" 2>&1
        if grep -q "rule: $want" "$dir/run.log" 2>/dev/null; then
            note="emitted scenario fails under run"
        else
            verdict=FAILED
            note="the emitted scenario did not fail under run: $dir"
        fi
    fi
    [ "$verdict" = ok ] || [ -n "$note" ] || note="see $log"
    printf '%-6s %-16s %-58s %-11s %-11s %6ss %9s  %s\n' "$verdict" "$target" \
        "$config${opts:+ $opts}" "$want" "$rule" "$seconds" "${execs:-?}" "$note" \
        >"$dir/result"
    hh_stage "fuzz smoke: $verdict  $target $config: expected $want, got $rule (${seconds}s)"
}

hh_stage "fuzz smoke: fuzzing, two at a time: each planted bug must be found within its bound, nothing in the correct routines (${quiet}s each)"
n=0
running=0
while IFS='|' read -r target config opts want bound; do
    [ -n "$target" ] || continue
    n=$((n + 1))
    if [ ! -f "$config" ]; then
        mkdir -p "$out/$n-missing"
        echo "FAILED $target $config: the configuration is missing" >"$out/$n-missing/result"
        continue
    fi
    run_case "$n" "$target" "$config" "$opts" "$want" "$bound" &
    running=$((running + 1))
    if [ "$running" -ge 2 ]; then
        wait -n
        running=$((running - 1))
    fi
done < <(
    echo "$must_find"
    quiet_cases
    echo "scenario-parser|scenarios/queue_worker_stop_after_work.json||none|$parser"
)
wait

printf '%-6s %-16s %-58s %-11s %-11s %7s %9s\n' result target configuration expected got \
    time executions
passed=0
failed=0
for i in $(seq 1 "$n"); do
    for r in "$out/$i"-*/result; do
        [ -f "$r" ] || continue
        cat "$r"
        if grep -q '^ok ' "$r"; then passed=$((passed + 1)); else
            failed=$((failed + 1))
            hh_show_fuzz_failure "$(dirname "$r")"
        fi
    done
done
# An outside project: the harness installed, a module built against it, fuzzed by the
# installed CLI (docs/fuzzing-your-driver.md, followed by its test).
hh_stage "fuzz smoke: fuzzing from an outside project (tests/install/fuzz_your_driver_test.sh)"
if bash tests/install/fuzz_your_driver_test.sh "$build" >"$out/fuzz-your-driver.log" 2>&1; then
    echo "ok     installed harness fuzzes examples/consumer: $(grep -c '^ok' "$out/fuzz-your-driver.log") points"
    passed=$((passed + 1))
else
    echo "FAILED installed harness fuzzing examples/consumer: see $out/fuzz-your-driver.log"
    grep -A12 '^not ok' "$out/fuzz-your-driver.log" | head -40
    failed=$((failed + 1))
fi
# The ClusterFuzzLite build, run as its builder would, its targets started from $OUT.
hh_stage "fuzz smoke: the ClusterFuzzLite build in build-cflite/ (scripts/fuzz-cflite-check.sh)"
if bash scripts/fuzz-cflite-check.sh "$HH_ROOT/build-cflite" >"$out/cflite.log" 2>&1; then
    echo "ok     ClusterFuzzLite build.sh: $(tail -1 "$out/cflite.log")"
    passed=$((passed + 1))
else
    echo "FAILED ClusterFuzzLite build.sh: see $out/cflite.log"
    tail -20 "$out/cflite.log"
    failed=$((failed + 1))
fi
[ "$status" = 0 ] || failed=$((failed + 1))
echo "fuzz smoke: $passed passed, $failed failed (logs in $out)"
[ "$failed" = 0 ]
