#!/usr/bin/env bash
# fuzz_your_driver_test.sh - docs/fuzzing-your-driver.md, followed step by step as a driver
# project would, from a fuzzing build of the harness (scripts/fuzz-build.sh: clang,
# -Dfuzzing=true): `meson install` it (staged under a temporary folder, as packagers do),
# build examples/consumer's routine for fuzzing against the install (its .pc file's
# fuzz_cflags), with the planted bug; fuzz it with the installed `hotswap-harness fuzz` from
# another folder until the bug is found; replay the finding into a regression scenario that
# `run` fails on, and passes once the routine is built without the bug; then a corpus merge
# and a fork-mode run through the CLI; last its ClusterFuzzLite build against the install.
# Part of scripts/fuzz-smoke.sh; about 30 s.
#
#   tests/install/fuzz_your_driver_test.sh [FUZZ-BUILD-DIR]   (default build-fuzz)
# Prints TAP; exit 0 when every point passed.
set -u
HH_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build-fuzz}
case "$build" in /*) ;; *) build="$HH_ROOT/$build" ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/hh-fuzz-your-driver.XXXXXX")
trap 'rm -rf "$work"' EXIT
. "$HH_ROOT/tests/scripts/tap.sh"

# fail NAME LOG: a failed point with the end of LOG.
fail() {
    point FAIL "$1" "$(tail -n 30 "$2" 2>/dev/null)"
}

# check NAME LOG EXPECTED-RC COMMAND...: runs COMMAND into LOG; one point.
check() {
    local name="$1" log="$2" want="$3" rc
    shift 3
    "$@" >"$log" 2>&1
    rc=$?
    if [ "$rc" = "$want" ]; then point OK "$name"; else
        echo "exit $rc, expected $want: $*" >>"$log"
        fail "$name" "$log"
        return 1
    fi
}

# has NAME FILE PHRASE...: every phrase is in FILE; one point.
has() {
    local name="$1" file="$2" p
    shift 2
    for p in "$@"; do
        if ! grep -qF -- "$p" "$file"; then
            point FAIL "$name" "$(tail -n 30 "$file" 2>/dev/null; echo "missing: $p")"
            return 1
        fi
    done
    point OK "$name"
}

finish() {
    echo "1..$n"
    [ "$failed" = 0 ]
    exit
}

if [ ! -x "$build/fuzz/fuzz-status-sequence" ]; then
    echo "not ok 1 - $build is a fuzzing build (scripts/fuzz-build.sh $build)"
    echo "1..1"
    exit 1
fi

# Step 1 of the page: install the harness with its fuzz runtime.
has "meson setup said fuzzing is built, and where it installs" "$build/meson-logs/meson-log.txt" \
    "fuzzing   : yes: \`hotswap-harness fuzz\`, the runtime installed in "
stage="$work/stage"
check "meson install puts the harness and its fuzz runtime in the prefix" "$work/install.log" 0 \
    meson install -C "$build" --no-rebuild --destdir "$stage" || finish
pc=$(find "$stage" -name hotswap-harness.pc | head -1)
harness=$(find "$stage" -path '*/bin/hotswap-harness' | head -1)
export PKG_CONFIG_PATH=${pc%/*} PKG_CONFIG_SYSROOT_DIR=$stage
fuzz_dir=$(pkg-config --variable=fuzz_dir hotswap-harness)
{
    echo "fuzzing=$(pkg-config --variable=fuzzing hotswap-harness)"
    echo "fuzz_cflags=$(pkg-config --variable=fuzz_cflags hotswap-harness)"
    ls "$fuzz_dir"
} >"$work/pc.log" 2>&1
has "hotswap-harness.pc: fuzzing, fuzz_cflags and fuzz_dir with the targets and dictionaries" \
    "$work/pc.log" "fuzzing=true" "fuzz_cflags=-fsanitize=fuzzer-no-link -fsanitize=address" \
    fuzz-status-sequence fuzz-status-sequence.dict fuzz-model fuzz-model.dict \
    fuzz-scenario-parser hh-fuzz-encode cflite-pack.sh
check "the installed CLI runs (its libhotswap found from the prefix)" "$work/version.log" 0 \
    env -u LD_LIBRARY_PATH "$harness" --version
has "--version says fuzzing is built in, and where" "$work/version.log" \
    "fuzzing: yes (libFuzzer targets in ${harness%/*}/../libexec/hotswap-harness)"

# Step 2: the project builds its routine for fuzzing (here with the bug it should find).
src="$work/consumer"
cp -r "$HH_ROOT/examples/consumer" "$src"
rm -rf "$src/subprojects" "$src"/build*
check "examples/consumer sets up with clang and -Dfuzzing=true against the install" \
    "$work/setup.log" 0 env CC=clang meson setup "$work/b" "$src" -Dfuzzing=true \
    -Dplanted_bug=true || finish
check "its routine builds twice: for scenarios, and in fuzz/ for fuzzing" "$work/ninja.log" 0 \
    ninja -C "$work/b" || finish
check "its scenarios pass under the installed CLI (the bug lies deeper)" "$work/test.log" 0 \
    meson test -C "$work/b"
nm -D "$work/b/fuzz/libping_worker.so" >"$work/nm.log" 2>&1
has "the fuzz/ module carries coverage and ASan (fuzz_cflags)" "$work/nm.log" \
    __sanitizer_cov_8bit_counters_init __asan_

# Step 4 (step 3 is the configuration, examples/consumer/fuzz/): fuzz from another folder
# until the bug is found, the corpus seeded from the project's scenarios.
run="$work/run"
mkdir -p "$run/corpus" "$run/findings"
for scenario in "$src"/scenarios/*.json; do
    "$fuzz_dir/hh-fuzz-encode" status-sequence "$scenario" \
        "$run/corpus/seed-$(basename "$scenario" .json)" >>"$work/encode.log" 2>&1 ||
        echo "exit $?: $scenario" >>"$work/encode.log"
done
ls "$run/corpus" >>"$work/encode.log"
has "the installed hh-fuzz-encode seeds the corpus from the project's scenarios" \
    "$work/encode.log" seed-ping_worker_answers_pings seed-ping_worker_stops
(cd "$run" && "$harness" fuzz -M "$work/b/fuzz" "$src/fuzz/ping_worker.json" -- -seed=1 \
    -max_total_time=30 -artifact_prefix=findings/ corpus/) >"$run/fuzz.log" 2>&1
echo "exit $?" >>"$run/fuzz.log"
has "the installed fuzz finds the planted bug: rule invariant, exit 1, with module coverage" \
    "$run/fuzz.log" "INFO: Loaded 2 modules" "2 files found in corpus" \
    "FINDING in PingWorkerRoutine (ping_worker)" "rule invariant" \
    "requires continue for STATUS_TIMEOUT" "exit 1" \
    "reproduce: hotswap-harness replay -M $work/b/fuzz $src/fuzz/ping_worker.json ARTIFACT"
artifact=$(ls "$run"/findings/crash-* 2>/dev/null | head -1)
[ -n "$artifact" ] && point OK "libFuzzer left the finding in findings/" ||
    fail "libFuzzer left the finding in findings/" "$run/fuzz.log"

# Step 5: the finding becomes a regression scenario.
check "replay --emit-scenario writes the finding as a scenario (exit 1: a finding)" \
    "$run/replay.log" 1 "$harness" replay -M "$work/b/fuzz" "$src/fuzz/ping_worker.json" \
    "${artifact:-none}" --emit-scenario "$run/regression.json"
check "run fails on the regression scenario while the bug is there" "$run/run-buggy.log" 1 \
    "$harness" run -M "$work/b" "$run/regression.json"
has "... by the same rule, at the third idle tick" "$run/run-buggy.log" "rule: invariant" \
    "idle for 3 ticks, powering down"
check "without the bug the routine builds again" "$work/fixed.log" 0 \
    sh -c "meson configure '$work/b' -Dplanted_bug=false && ninja -C '$work/b'"
check "and passes the regression scenario" "$run/run-fixed.log" 0 \
    "$harness" run -M "$work/b" "$run/regression.json"

# Step 6, in CI: long jobs, a corpus merge and a fork-mode run, through the CLI.
mkdir -p "$run/merged"
check "fuzz -- -merge=1 keeps the corpus inputs that add coverage" "$run/merge.log" 0 \
    "$harness" fuzz -M "$work/b/fuzz" "$src/fuzz/ping_worker.json" -- -merge=1 \
    "$run/merged" "$run/corpus"
before=$(ls "$run/corpus" | wc -l)
after=$(ls "$run/merged" | wc -l)
if [ "$after" -ge 1 ] && [ "$after" -le "$before" ]; then
    point OK "the merged corpus has $after of the $before inputs"
else
    fail "the merged corpus has $after of the $before inputs" "$run/merge.log"
fi
check "merging the same corpus again adds nothing" "$run/merge-again.log" 0 \
    "$harness" fuzz -M "$work/b/fuzz" "$src/fuzz/ping_worker.json" -- -merge=1 \
    "$run/merged" "$run/corpus"
has "... as libFuzzer's merge says" "$run/merge-again.log" "MERGE-OUTER: 0 new files"
check "fuzz -- -fork=1 runs its child with the configuration (no finding once fixed)" \
    "$run/fork.log" 0 "$harness" fuzz -M "$work/b/fuzz" "$src/fuzz/ping_worker.json" -- \
    -fork=1 -seed=1 -max_total_time=4 "$run/merged"
has "... and the child fuzzed" "$run/fork.log" "fuzzing in separate process" "INFO: exiting: 0"

# Step 6, ClusterFuzzLite: its build, run as the builder would, against the install.
check "examples/consumer's .clusterfuzzlite/build.sh packs targets that start from \$OUT" \
    "$work/cflite.log" 0 bash "$HH_ROOT/scripts/fuzz-cflite-check.sh" "$work/cflite" "$src"
has "... one per target for its fuzz configuration" "$work/cflite.log" \
    "fuzz-cflite-check: 2 targets in \$OUT, 0 failed"
ls "$work/cflite/out" >"$work/cflite-out.log" 2>&1
has "... each with its seeds (the scenarios, encoded), options and dictionary" \
    "$work/cflite-out.log" status-sequence_ping_worker_seed_corpus.zip \
    model_ping_worker_seed_corpus.zip model_ping_worker.options fuzz-model.dict

# An install that lost a target says where it looked.
rm "$fuzz_dir/fuzz-model"
check "an installed CLI whose target is missing exits 2" "$work/missing.log" 2 \
    "$harness" fuzz --target model -M "$work/b/fuzz" "$src/fuzz/ping_worker.json"
has "... naming the folder of the install" "$work/missing.log" \
    "fuzz-model is not built or not installed" "libexec/hotswap-harness"
finish
