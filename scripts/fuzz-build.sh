#!/usr/bin/env bash
# fuzz-build.sh - sets up and builds the fuzzing build: clang with libFuzzer, ASan+UBSan on
# everything, and libFuzzer's coverage (-fsanitize=fuzzer-no-link) in the routine modules only
# (-Dfuzzing=true gives it to them), so a routine's own branches guide the fuzzer and the
# harness runs uninstrumented (docs/fuzzing.md). More meson options after DIR, such as
# -Dfuzz_instrument_harness=true to instrument the harness too; an existing DIR is
# reconfigured with them.
#
#   scripts/fuzz-build.sh [DIR [MESON-OPTION...]]   (default build-fuzz; CC defaults to clang)
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages clang libclang-rt-14-dev || exit 1
dir=${1:-build-fuzz}
shift || true
options=(-Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dtests=false
    -Dc_args=-fno-sanitize-recover=undefined "$@")
# A build set up before keeps its options otherwise (hh_build only sets up a new one).
if [ -f "$HH_ROOT/$dir/build.ninja" ]; then
    meson configure "$HH_ROOT/$dir" "${options[@]}" >/dev/null
fi
CC=${CC:-clang} hh_build "$dir" "${options[@]}"
