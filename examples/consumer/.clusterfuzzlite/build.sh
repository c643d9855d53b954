#!/bin/bash -eu
# build.sh - the ClusterFuzzLite / OSS-Fuzz build of the ping driver's worker routine
# (google/oss-fuzz base-builder conventions: $CC, $CFLAGS with the sanitizer and
# -fsanitize=fuzzer-no-link, $LIB_FUZZING_ENGINE, $OUT; scratch in $WORK).
#
# 1. The harness with its fuzz runtime: an install pkg-config already finds with fuzzing=true,
#    else subprojects/hotswap-harness built with the builder's flags and installed in $WORK.
# 2. This project with -Dfuzzing=true: the routine built for fuzzing, in fuzz/ of its build.
# 3. Seeds: each of the project's scenarios encoded as an input of each target by the
#    runtime's hh-fuzz-encode.
# 4. $OUT: the harness's packer (cflite-pack.sh, beside its fuzz runtime) makes a target per
#    fuzz configuration and target, status-sequence_ping_worker and model_ping_worker, each
#    with its configuration, the module and the libraries it loads, and its seeds.
PROJECT=${PROJECT_DIR:-$(cd "$(dirname "$0")/.." && pwd)}

if [ "$(pkg-config --variable=fuzzing hotswap-harness 2>/dev/null)" != true ]; then
    prefix="$WORK/hotswap-harness"
    rm -rf "$WORK/hotswap-harness-build" "$prefix"
    meson setup "$WORK/hotswap-harness-build" "$PROJECT/subprojects/hotswap-harness" \
        --prefix="$prefix" --libdir=lib -Dfuzzing=true -Dfuzzing_engine="$LIB_FUZZING_ENGINE" \
        -Dtests=false -Db_lundef=false -Dwerror=false -Dbuildtype=plain --wrap-mode=nodownload
    ninja -C "$WORK/hotswap-harness-build" install
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi

rm -rf "$WORK/ping-driver-build"
meson setup "$WORK/ping-driver-build" "$PROJECT" -Dfuzzing=true -Dwerror=false \
    -Dbuildtype=plain --wrap-mode=nodownload
ninja -C "$WORK/ping-driver-build"

runtime=$(pkg-config --variable=fuzz_dir hotswap-harness)
rm -rf "$WORK/seeds"
for config in "$PROJECT"/fuzz/*.json; do
    for target in status-sequence model; do
        seeds="$WORK/seeds/$target/$(basename "$config" .json)"
        mkdir -p "$seeds"
        for scenario in "$PROJECT"/scenarios/*.json; do
            "$runtime/hh-fuzz-encode" "$target" "$scenario" "$seeds/$(basename "$scenario" .json)"
        done
    done
done
"$runtime/cflite-pack.sh" --out "$OUT" --modules "$WORK/ping-driver-build/fuzz" \
    --seeds "$WORK/seeds" "$PROJECT"/fuzz/*.json
