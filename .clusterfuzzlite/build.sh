#!/bin/bash -eu
# build.sh - the ClusterFuzzLite / OSS-Fuzz build (google/oss-fuzz base-builder conventions):
# honours $CC, $CFLAGS (sanitizer and -fsanitize=fuzzer-no-link, so every library and
# module carries libFuzzer's coverage), $LIB_FUZZING_ENGINE and $OUT; scratch in $WORK.
#
# $OUT gets one target per configuration, as the runners start targets with no arguments:
# status-sequence_STEM and model_STEM (hard links to one binary each) find STEM's scenario as
# PROGRAM.json beside them, the routine modules beside that and libhotswap in $OUT/lib; plus
# scenario-parser and schedule-parser. Each has its seed corpus (corpus/), dictionary and
# .options. The packing is scripts/cflite-pack.sh's, shared with projects that fuzz against an
# installed harness.
SRC_DIR=${SRC_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD="$WORK/hotswap-harness-build"

# Meson reads $CFLAGS into c_args and c_link_args. Shared objects end up in $OUT/lib.
export LDFLAGS="${LDFLAGS:-} -Wl,-rpath,\$ORIGIN/lib"
rm -rf "$BUILD"
meson setup "$BUILD" "$SRC_DIR" -Dfuzzing=true -Dfuzzing_engine="$LIB_FUZZING_ENGINE" \
    -Dtests=false -Db_lundef=false -Dwerror=false -Dbuildtype=plain --wrap-mode=nodownload
ninja -C "$BUILD"

# The routine targets, one per scenario with seeds, by the packer the installed runtime
# also ships (scripts/cflite-pack.sh); the parsers beside them.
bash "$SRC_DIR/scripts/cflite-pack.sh" --runtime "$BUILD/fuzz" --out "$OUT" \
    --modules "$BUILD/scenarios" --seeds "$SRC_DIR/corpus" --only-seeded \
    "$SRC_DIR"/scenarios/*.json
# The parsers' targets, with their dictionaries, options and seeds.
for parser in scenario schedule; do
    cp "$BUILD/fuzz/fuzz-$parser-parser" "$OUT/$parser-parser"
    cp "$SRC_DIR/fuzz/dict/$parser.dict" "$OUT/$parser-parser.dict"
    printf '[libfuzzer]\ndict = %s-parser.dict\ntimeout = 25\n' "$parser" >"$OUT/$parser-parser.options"
    rm -f "$OUT/$parser-parser_seed_corpus.zip"
    (cd "$SRC_DIR/corpus/$parser-parser" && zip -q -j "$OUT/$parser-parser_seed_corpus.zip" ./*)
done
