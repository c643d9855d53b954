#!/usr/bin/env bash
# fuzz-measure.sh - the measurements docs/fuzzing.md records, re-run on this machine:
#   time-to-find   each planted bug, seeds 1..SEEDS, with the module's coverage and (for the
#                  deep one) without it, up to BOUND seconds each
#   exec/s         status-sequence and model beside the bare target (the routine called
#                  directly with the status-sequence decoding), on one fixed input and on a
#                  fuzzing run, by wall clock and by CPU time, and the routine's invocations
#                  per CPU second, each with its ratio to the bare target's; then the inputs
#                  each target kept while fuzzing, played from memory by it and by the bare
#                  target (--measure), per input and per invocation
# Prints Markdown tables. Needs the fuzzing build (scripts/fuzz-build.sh).
#
#   scripts/fuzz-measure.sh [BUILD-DIR]   env SEEDS (default 5), BOUND (default 300),
#   FLAGS (more libFuzzer flags for every time-to-find run, such as -max_len=64),
#   TABLES (time, exec or both, the default), FUZZ_SECONDS (default 30) or FUZZ_RUNS (the
#   exec table's fuzzing runs, -runs=N, instead of -max_total_time), REPLAY_RUNS (how many
#   times each kept input is played, default 200), DEFAULTS (the
#   libFuzzer flags `hotswap-harness fuzz` adds for a routine target, given to every run of
#   both tables; default -use_value_profile=1, empty for libFuzzer's own defaults)
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$HH_ROOT"
build=${1:-build-fuzz}
seeds=${SEEDS:-5}
bound=${BOUND:-300}
flags=${FLAGS:-}
tables=${TABLES:-both}
fuzz_seconds=${FUZZ_SECONDS:-30}
replay_runs=${REPLAY_RUNS:-200}
fuzz_runs=${FUZZ_RUNS:-}
defaults=${DEFAULTS--use_value_profile=1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fz="$build/fuzz"
mods="--module-path=$build/scenarios --module-path=$build/fuzz/examples"

# fuzz TARGET CONFIG EXTRA-FLAGS SEED MODULE-DIR: "found seconds executions" or "- bound n"
fuzz() {
    local target="$1" config="$2" extra="$3" seed="$4" moddir="$5" dir start end stem
    dir="$work/$RANDOM$RANDOM"
    mkdir -p "$dir/corpus"
    stem=$(basename "$config" .json)
    [ -d "corpus/$target/$stem" ] && cp "corpus/$target/$stem"/* "$dir/corpus/"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$fz/fuzz-$target" --scenario="$config" --module-path="$moddir" $mods $extra \
        -seed="$seed" -max_total_time="$bound" -print_final_stats=1 $defaults $flags \
        -error_exitcode=1 -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1
    local rc=$?
    end=$(date +%s.%N)
    awk -v rc="$rc" -v s="$start" -v e="$end" \
        '/number_of_executed_units/ { n = $2 }
         END { printf "%s %.1f %s\n", rc == 1 ? "found" : "-", e - s, n }' "$dir/log"
}

row() { # NAME TARGET CONFIG EXTRA MODULE-DIR
    local line="| $1 |" s r
    for s in $(seq 1 "$seeds"); do
        r=$(fuzz "$2" "$3" "$4" "$s" "$5")
        case "$r" in
            found*) line="$line $(echo "$r" | awk '{ printf "%ss / %s", $2, $3 }') |" ;;
            *) line="$line not in $(echo "$r" | awk '{ printf "%.0fs (%s execs)", $2, $3 }') |" ;;
        esac
    done
    echo "$line"
}

if [ "$tables" != exec ]; then
    echo "### Time to find (seconds / executions; seeds 1..$seeds, bound ${bound}s${defaults:+, $defaults}${flags:+, $flags})"
    echo
    printf '| bug | '; for s in $(seq 1 "$seeds"); do printf 'seed %s | ' "$s"; done; echo
    printf '| --- |'; for s in $(seq 1 "$seeds"); do printf ' --- |'; done; echo
    row "firmware_update, status-sequence, module coverage" status-sequence \
        fuzz/examples/firmware_update.json "" "$build/fuzz/examples"
    row "firmware_update, status-sequence, no module coverage" status-sequence \
        fuzz/examples/firmware_update.json "" "$build/fuzz/examples/nocov"
    row "journal_guard, model" model fuzz/examples/journal_guard.json "" "$build/fuzz/examples"
    row "status_table, status-sequence --any-status" status-sequence \
        fuzz/examples/status_table.json "--any-status" "$build/fuzz/examples"
    row "queue_worker_drains_first, model (v2)" model \
        examples/broken/queue_worker_drains_first_ignores_stop.json "" "$build/examples"

fi
[ "$tables" = time ] && exit 0
echo
echo "### exec/s against the bare target${defaults:+ ($defaults)}"
echo
fuzz_run="-max_total_time=$fuzz_seconds"
fuzz_what="${fuzz_seconds} s"
if [ -n "$fuzz_runs" ]; then
    fuzz_run="-runs=$fuzz_runs"
    fuzz_what="$fuzz_runs runs"
fi
echo "Each rate by the wall clock, then by the CPU time the run took (user + system: other"
echo "processes disturb it less); the ratio is to the bare target's. While fuzzing, each target"
echo "keeps the inputs new to it, so their inputs invoke the routine a different number of"
echo "times: the last columns compare the routine's invocations per CPU second."
echo
echo "| target | one fixed 513-byte input, -runs=20000: exec/s | ratio | exec/CPU-s | ratio |" \
    "$fuzz_what fuzzing from the seed: average_exec_per_sec | ratio | exec/CPU-s | ratio |" \
    "invocations an input | invocations/CPU-s | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
config=scenarios/queue_worker_stop_after_work.json
# The same 512 random bytes after each encoding's first byte (status 0x01, model 0x03).
fixed_input() {
    python3 -c "import random, sys; random.seed(7); \
sys.stdout.buffer.write(bytes([$1] + [random.randrange(256) for _ in range(512)]))"
}
fixed_input 1 >"$work/fixed-status-sequence"
fixed_input 3 >"$work/fixed-model"
cp "$work/fixed-status-sequence" "$work/fixed-bare-status-sequence"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
# Runs "$@" with its output in $work/out; prints "wall-seconds cpu-seconds".
timed() {
    local TIMEFORMAT='%R %U %S' t
    t=$( { time "$@" >"$work/out" 2>&1; } 2>&1 )
    echo "$t" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}
per() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }'; }
stat() { awk -v k="stat::$1:" '$1 == k { print $2 }' "$work/out"; }
bare=""
for t in bare-status-sequence status-sequence model; do
    corpus=status-sequence
    [ "$t" = model ] && corpus=model
    # shellcheck disable=SC2086
    read -r wall cpu < <(timed "$fz/fuzz-$t" --scenario="$config" $mods $defaults -runs=20000 \
        "$work/fixed-$t")
    fixed=$(per 20000 "$wall")
    fixed_cpu=$(per 20000 "$cpu")
    rm -rf "$work/c-$t"
    mkdir -p "$work/c-$t"
    cp corpus/$corpus/queue_worker_stop_after_work/* "$work/c-$t/"
    # shellcheck disable=SC2086
    read -r wall cpu < <(timed "$fz/fuzz-$t" --scenario="$config" $mods -seed=1 $fuzz_run \
        $defaults -print_final_stats=1 "$work/c-$t")
    fuzzing=$(stat average_exec_per_sec)
    units=$(stat number_of_executed_units)
    invocations=$(stat routine_invocations)
    fuzzing_cpu=$(per "${units:-0}" "$cpu")
    per_input=$(awk -v i="${invocations:-0}" -v n="${units:-0}" \
        'BEGIN { if (n > 0) printf "%.1f", i / n; else print 0 }')
    inv_cpu=$(per "${invocations:-0}" "$cpu")
    [ -n "$bare" ] || bare="$fixed $fixed_cpu $fuzzing $fuzzing_cpu $inv_cpu"
    read -r b_fixed b_fixed_cpu b_fuzzing b_fuzzing_cpu b_inv_cpu <<<"$bare"
    echo "| $t | $fixed | $(ratio "$fixed" "$b_fixed") | $fixed_cpu |" \
        "$(ratio "$fixed_cpu" "$b_fixed_cpu") | $fuzzing | $(ratio "$fuzzing" "$b_fuzzing") |" \
        "$fuzzing_cpu | $(ratio "$fuzzing_cpu" "$b_fuzzing_cpu") | $per_input | $inv_cpu |" \
        "$(ratio "$inv_cpu" "$b_inv_cpu") |"
done

# The same inputs: the files each target kept while fuzzing above, played by it and by the
# bare target (which reads them as status sequences: model's bytes behind the status-sequence
# format byte), each file $replay_runs times from memory (--measure: libFuzzer's own replay
# reads each file again for every run, which costs more than a short input's run). Fuzzing's
# own inputs, and the same ones on both sides, so the ratio does not depend on which inputs
# each side happened to keep.
echo
echo "### CPU cost on the same inputs: what fuzzing kept, played by the target and by the bare target"
echo
echo "Each file of the target's corpus after the fuzzing above, read into memory once and played"
echo "${replay_runs} times by the target and by the bare target (\`--measure=${replay_runs}\`; for \`model\`, its"
echo "bytes behind the status-sequence format byte, which the bare target reads as statuses);"
echo "executions and routine invocations per CPU second."
echo
echo "| target | inputs | invocations an input | target exec/CPU-s | bare exec/CPU-s | ratio |" \
    "target ns/invocation | bare ns/invocation | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
# measure FIELD: that field of the last --measure line
measure() { awk -v k="$1=" '{ for (i = 1; i <= NF; i++) if (index($i, k) == 1) v = substr($i, length(k) + 1) } END { print v }' "$work/out"; }
for t in status-sequence model; do
    rm -rf "$work/same-$t"
    mkdir -p "$work/same-$t"
    for f in "$work/c-$t"/*; do
        python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); \
sys.stdout.buffer.write(bytes([1]) + d[1:] if d else d)" "$f" >"$work/same-$t/$(basename "$f")"
    done
    # shellcheck disable=SC2086
    "$fz/fuzz-$t" --scenario="$config" $mods --measure="$replay_runs" "$work/c-$t" >"$work/out" 2>&1
    n=$(measure inputs)
    per_input=$(measure invocations_per_input)
    target_rate=$(measure exec_per_cpu_second)
    target_ns=$(measure ns_per_invocation)
    # shellcheck disable=SC2086
    "$fz/fuzz-bare-status-sequence" --scenario="$config" $mods --measure="$replay_runs" \
        "$work/same-$t" >"$work/out" 2>&1
    bare_rate=$(measure exec_per_cpu_second)
    bare_ns=$(measure ns_per_invocation)
    echo "| $t | $n | $per_input | $target_rate | $bare_rate | $(ratio "$target_rate" "$bare_rate") |" \
        "$target_ns | $bare_ns | $(ratio "$bare_ns" "$target_ns") |"
done
