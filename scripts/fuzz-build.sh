#!/usr/bin/env bash
# fuzz-build.sh - sets up and builds the fuzzing build: clang with libFuzzer, and both
# libFuzzer's coverage (-fsanitize=fuzzer-no-link) and ASan+UBSan in the code under test
# only: -Dfuzzing=true gives them to the routine modules (and the parser targets' own copies)
# and compiles the harness itself without them, so a routine's own branches guide the fuzzer,
# its memory errors are reported at its lines, and the harness runs uninstrumented. Every
# program still links the ASan and UBSan runtimes (malloc is ASan's; the harness poisons what
# it frees) (docs/fuzzing.md, "Module coverage"). More meson options after DIR, such as
# -Dfuzz_sanitize_harness=true to keep the sanitizers on the harness, or
# -Dfuzz_instrument_harness=true to instrument it with both; an existing DIR is reconfigured
# with them.
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
