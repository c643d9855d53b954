#!/usr/bin/env bash
# cflite-pack.sh - puts fuzz configurations into a ClusterFuzzLite / OSS-Fuzz $OUT, the way
# the runners start targets: with no arguments, from anywhere, with only $OUT shipped. For
# each CONFIG (STEM.json) and each routine target (status-sequence, model) it writes
#   TARGET_STEM          a hard link to the runtime's fuzz-TARGET, which finds
#   TARGET_STEM.json     the configuration beside it (PROGRAM.json),
#   TARGET_STEM.options  timeout 25 s and the target's dictionary (fuzz-TARGET.dict),
#   TARGET_STEM_seed_corpus.zip  from SEEDS/TARGET/STEM/ when there is one,
# and copies the routine modules of --modules beside them and the shared libraries the
# targets load (libhotswap, cJSON when shared) to $OUT/lib, where the targets' rpath looks.
# Installed beside the fuzz runtime (pkg-config --variable=fuzz_dir hotswap-harness), whose
# targets it packs unless --runtime names another folder; .clusterfuzzlite/build.sh of this
# tree and of examples/consumer use it.
#
#   cflite-pack.sh --out OUT --modules DIR [--runtime DIR] [--seeds DIR [--only-seeded]]
#                  CONFIG.json...
# --only-seeded leaves out a configuration and target with no seeds (in this tree: a seed
# that finds something was left out of corpus/, so the target would stop on its first run).
set -euo pipefail
runtime=$(cd "$(dirname "$0")" && pwd)
out="" modules="" seeds="" only_seeded=0
usage() {
    echo "usage: cflite-pack.sh --out OUT --modules DIR [--runtime DIR] [--seeds DIR" \
        "[--only-seeded]] CONFIG.json..." >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=${2:-} && shift 2 ;;
    --modules) modules=${2:-} && shift 2 ;;
    --runtime) runtime=${2:-} && shift 2 ;;
    --seeds) seeds=${2:-} && shift 2 ;;
    --only-seeded) only_seeded=1 && shift ;;
    --*) usage ;;
    *) break ;;
    esac
done
[ -n "$out" ] && [ -d "$modules" ] && [ $# -gt 0 ] || usage
for target in status-sequence model; do
    if [ ! -x "$runtime/fuzz-$target" ]; then
        echo "cflite-pack: $runtime/fuzz-$target is not there: the fuzz runtime is built" \
            "with -Dfuzzing=true (docs/fuzzing-your-driver.md)" >&2
        exit 2
    fi
done

mkdir -p "$out/lib"
# What the targets load besides the system: libhotswap, and cJSON when it is shared here.
ldd "$runtime/fuzz-status-sequence" | sed -n 's/.*\(libhotswap\|libcjson\)[^ ]* => \([^ ]*\) .*/\2/p' |
    while read -r lib; do cp -L "$lib" "$out/lib/"; done
find "$modules" -maxdepth 1 -type f \( -name '*.so' -o -name '*.dll' \) -exec cp {} "$out/" \;

for target in status-sequence model; do
    cp "$runtime/fuzz-$target" "$out/.fuzz-$target"
    if [ -f "$runtime/fuzz-$target.dict" ]; then cp "$runtime/fuzz-$target.dict" "$out/"; fi
done
for config in "$@"; do
    stem=$(basename "$config" .json)
    for target in status-sequence model; do
        name="${target}_$stem"
        corpus="${seeds:+$seeds/$target/$stem}"
        if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
            [ "$only_seeded" = 1 ] && continue
            corpus=""
        fi
        ln -f "$out/.fuzz-$target" "$out/$name"
        cp "$config" "$out/$name.json"
        printf '[libfuzzer]\ndict = fuzz-%s.dict\ntimeout = 25\n' "$target" >"$out/$name.options"
        rm -f "$out/${name}_seed_corpus.zip"
        if [ -n "$corpus" ]; then
            (cd "$corpus" && zip -q -j "$out/${name}_seed_corpus.zip" ./*)
        fi
    done
done
rm -f "$out/.fuzz-status-sequence" "$out/.fuzz-model"
