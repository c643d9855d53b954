#!/usr/bin/env bash
# fuzz-build.sh - sets up and builds the fuzzing build: clang with libFuzzer, ASan+UBSan, and
# libFuzzer's coverage (-fsanitize=fuzzer-no-link) in every library and routine module, so a
# routine's own branches guide the fuzzer (docs/fuzzing.md).
#
#   scripts/fuzz-build.sh [DIR]   (default build-fuzz; CC defaults to clang)
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages clang libclang-rt-14-dev || exit 1
dir=${1:-build-fuzz}
CC=${CC:-clang} hh_build "$dir" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dtests=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined"
