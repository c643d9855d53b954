#!/usr/bin/env bash
# fuzz-corpus.sh - generates corpus/ (the fuzz targets' seeds) from scenarios/ and the fuzz
# examples (fuzz/examples/*.json): each scenario becomes one input per routine target,
# encoded by the build's hh-fuzz-encode (the decoders' own encoding), and is itself a seed
# of the scenario-parser target; the schedule parser's test files are the schedule-parser
# target's seeds. A seed that already finds something (its routine fails
# when the worker starts before the scenario's first steps, say) is left out and named: a
# corpus seed must pass, or libFuzzer stops on it.
#
#   scripts/fuzz-corpus.sh [--check] [BUILD-DIR]   (default build-fuzz, else build)
# --check writes nothing: it fails (exit 1) when corpus/ differs from what it would write,
# so a change of encoding or of a scenario cannot leave stale seeds behind.
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
build=${1:-}
if [ -z "$build" ]; then
    if [ -x "$HH_ROOT/build-fuzz/fuzz/hh-fuzz-encode" ]; then build=build-fuzz; else build=build; fi
fi
case "$build" in /*) ;; *) build="$HH_ROOT/$build" ;; esac
encode="$build/fuzz/hh-fuzz-encode"
if [ ! -x "$encode" ]; then
    echo "fuzz-corpus: $encode is not built; build $build first (ninja -C $build)" >&2
    exit 2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/status-sequence" "$out/model" "$out/scenario-parser" "$out/schedule-parser"
for scenario in "$HH_ROOT"/scenarios/*.json "$HH_ROOT"/fuzz/examples/*.json; do
    stem=$(basename "$scenario" .json)
    for target in status-sequence model; do
        mkdir -p "$out/$target/$stem"
        "$encode" "$target" "$scenario" "$out/$target/$stem/seed-$stem"
        if ! ("$build/fuzz/replay-$target" --scenario="$scenario" \
            --module-path="$build/scenarios" --module-path="$build/fuzz/examples" \
            "$out/$target/$stem") >"$out/log" 2>&1; then
            echo "fuzz-corpus: no $target seed from $stem: it finds" \
                "$(grep -m1 -o 'rule [a-z-]*' "$out/log" || echo 'a failure')" >&2
            rm -r "${out:?}/$target/$stem"
        fi
    done
    cp "$scenario" "$out/scenario-parser/$stem.json"
done
# The parser's own test files, good and bad, teach it the format's corners.
for f in "$HH_ROOT"/tests/scenario/good/*.json "$HH_ROOT"/tests/scenario/bad/*.json; do
    [ -e "$f" ] || continue
    cp "$f" "$out/scenario-parser/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# The schedule parser's, good and bad, seed the schedule-parser target.
for f in "$HH_ROOT"/tests/explore/schedules/good/* "$HH_ROOT"/tests/explore/schedules/bad/*; do
    [ -e "$f" ] || continue
    cp "$f" "$out/schedule-parser/$(basename "$(dirname "$f")")-$(basename "$f")"
done

rm -f "$out/log"
if [ "$check" = 1 ]; then
    if ! diff -r -q "$out" "$HH_ROOT/corpus" >/dev/null; then
        diff -r -q "$out" "$HH_ROOT/corpus" | sed 's|'"$out"'|(generated)|' >&2 || true
        echo "fuzz-corpus: corpus/ is stale; run scripts/fuzz-corpus.sh and commit the result" >&2
        exit 1
    fi
    echo "fuzz-corpus: corpus/ is up to date"
    exit 0
fi
rm -rf "$HH_ROOT/corpus/status-sequence" "$HH_ROOT/corpus/model" "$HH_ROOT/corpus/scenario-parser" \
    "$HH_ROOT/corpus/schedule-parser"
cp -r "$out"/* "$HH_ROOT/corpus/"
echo "fuzz-corpus: wrote corpus/: $(find "$HH_ROOT/corpus" -type f | wc -l) seeds"
