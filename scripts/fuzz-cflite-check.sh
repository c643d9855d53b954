#!/usr/bin/env bash
# fuzz-cflite-check.sh - runs .clusterfuzzlite/build.sh on this machine as ClusterFuzzLite's
# builder would (CC, CFLAGS, LIB_FUZZING_ENGINE, SANITIZER, SRC, WORK and OUT set the way the
# base-builder image sets them for the address sanitizer), then starts every target in $OUT
# from another folder, with no arguments but its own seed corpus, as the runner does: each
# must find its configuration, module and libraries and replay its seeds with no finding.
# PROJECT-DIR checks another project's .clusterfuzzlite/build.sh the same way (a driver
# project fuzzing against an installed harness, such as examples/consumer).
#
#   scripts/fuzz-cflite-check.sh [WORK-DIR [PROJECT-DIR]]   (default build-cflite, this tree)
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages clang libclang-rt-14-dev zip unzip || exit 1
top=${1:-$HH_ROOT/build-cflite}
project=${2:-$HH_ROOT}
rm -rf "$top"
mkdir -p "$top/work" "$top/out" "$top/run"

export CC=clang CXX=clang++ SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
export SRC=$HH_ROOT/.. WORK=$top/work OUT=$top/out SRC_DIR=$HH_ROOT
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only \
-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address \
-fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
echo "== ClusterFuzzLite build.sh (OUT=$OUT)"
if ! bash "$project/.clusterfuzzlite/build.sh" >"$top/build.log" 2>&1; then
    tail -30 "$top/build.log"
    echo "fuzz-cflite-check: build.sh failed (log: $top/build.log)" >&2
    exit 1
fi

failed=0
targets=0
for bin in "$OUT"/*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    case "$bin" in *.so | *.so.*) continue ;; esac
    name=$(basename "$bin")
    targets=$((targets + 1))
    seeds="$top/run/$name"
    mkdir -p "$seeds"
    [ -f "$OUT/${name}_seed_corpus.zip" ] && unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$seeds"
    if ! (cd /tmp && "$bin" -runs=0 -error_exitcode=1 "$seeds") >"$top/run/$name.log" 2>&1; then
        echo "fuzz-cflite-check: $name failed from \$OUT:" >&2
        tail -15 "$top/run/$name.log" >&2
        failed=$((failed + 1))
    fi
done
echo "fuzz-cflite-check: $targets targets in \$OUT, $failed failed"
[ "$targets" -gt 0 ] && [ "$failed" = 0 ]
