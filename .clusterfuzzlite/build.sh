#!/bin/bash -eu
# build.sh - the ClusterFuzzLite / OSS-Fuzz build (google/oss-fuzz base-builder conventions):
# honours $CC, $CFLAGS (sanitizer and -fsanitize=fuzzer-no-link, so every library and
# module carries libFuzzer's coverage), $LIB_FUZZING_ENGINE and $OUT; scratch in $WORK.
#
# $OUT gets one target per configuration, as the runners start targets with no arguments:
# status-sequence_STEM and model_STEM (hard links to one binary each) find STEM's scenario as
# PROGRAM.json beside them, the routine modules beside that and libhotswap in $OUT/lib; plus
# scenario-parser and schedule-parser. Each has its seed corpus (corpus/), dictionary and .options.
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD="$WORK/hotswap-harness-build"

# Meson reads $CFLAGS into c_args and c_link_args. Shared objects end up in $OUT/lib.
export LDFLAGS="${LDFLAGS:-} -Wl,-rpath,\$ORIGIN/lib"
rm -rf "$BUILD"
meson setup "$BUILD" "$SRC_DIR" -Dfuzzing=true -Dfuzzing_engine="$LIB_FUZZING_ENGINE" \
    -Dtests=false -Db_lundef=false -Dwerror=false -Dbuildtype=plain --wrap-mode=nodownload
ninja -C "$BUILD"

mkdir -p "$OUT/lib"
cp "$BUILD/harness/libhotswap.so" "$OUT/lib/"
# cJSON when it is a shared library here (OSS-Fuzz images link it static; see Dockerfile)
cjson=$(ldd "$BUILD/fuzz/fuzz-model" | sed -n 's/.*libcjson[^ ]* => \([^ ]*\) .*/\1/p')
[ -z "$cjson" ] || cp -L "$cjson" "$OUT/lib/"
cp "$BUILD"/scenarios/*.so "$OUT/"

options() { # NAME DICT
    printf '[libfuzzer]\ndict = %s\ntimeout = 25\n' "$2" >"$OUT/$1.options"
}

seed_zip() { # NAME FOLDER
    rm -f "$OUT/$1_seed_corpus.zip"
    (cd "$2" && zip -q -j "$OUT/$1_seed_corpus.zip" ./*)
}

cp "$SRC_DIR/fuzz/dict/status-values.dict" "$SRC_DIR/fuzz/dict/model.dict" \
    "$SRC_DIR/fuzz/dict/scenario.dict" "$SRC_DIR/fuzz/dict/schedule.dict" "$OUT/"
for parser in scenario schedule; do
    cp "$BUILD/fuzz/fuzz-$parser-parser" "$OUT/$parser-parser"
    options "$parser-parser" "$parser.dict"
    seed_zip "$parser-parser" "$SRC_DIR/corpus/$parser-parser"
done

for scenario in "$SRC_DIR"/scenarios/*.json; do
    stem=$(basename "$scenario" .json)
    for target in status-sequence model; do
        name="${target}_$stem"
        [ -d "$SRC_DIR/corpus/$target/$stem" ] || continue # no seed: a known finding
        [ -f "$OUT/fuzz-$target" ] || cp "$BUILD/fuzz/fuzz-$target" "$OUT/fuzz-$target"
        ln -f "$OUT/fuzz-$target" "$OUT/$name"
        cp "$scenario" "$OUT/$name.json"
        options "$name" "$([ "$target" = model ] && echo model.dict || echo status-values.dict)"
        seed_zip "$name" "$SRC_DIR/corpus/$target/$stem"
    done
done
rm -f "$OUT/fuzz-status-sequence" "$OUT/fuzz-model"
