#!/usr/bin/env bash
# lib_test.sh - the progress and failure output of scripts/lib.sh, which scripts/test.sh and
# the scripts it runs share: a line per stage with the time so far, and the output of a build
# step that fails (meson setup's error, the compiler's), not just that it failed.
#
#   lib_test.sh SOURCE_ROOT      Prints TAP.
set -u
root=$1
HH_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/hh-lib-test.XXXXXX")
trap 'rm -rf "$HH_ROOT"' EXIT
. "$root/scripts/lib.sh"
. "$root/tests/scripts/tap.sh"
echo "TAP version 13"
echo "1..5"

out=$(HH_STAGE_START=$(($(date +%s) - 75)) hh_stage "gcc: building build/")
if [[ "$out" =~ ^\[\ 1:1[5-9]\]\ gcc:\ building\ build/$ ]]; then
    point OK "a stage line says what runs and the time so far"
else
    point FAIL "a stage line says what runs and the time so far" "$out"
fi

mkdir -p "$HH_ROOT/badsetup"
echo "project('x', 'c'" >"$HH_ROOT/badsetup/meson.build"
(cd "$HH_ROOT/badsetup" && HH_ROOT="$HH_ROOT/badsetup" hh_build build) >"$HH_ROOT/setup.out" 2>&1
out=$(cat "$HH_ROOT/setup.out")
if grep -q "configuring build/" <<<"$out" && grep -q "meson setup build failed" <<<"$out" &&
    grep -qi "meson.build:1" <<<"$out"; then
    point OK "a meson setup that fails shows meson's own error"
else
    point FAIL "a meson setup that fails shows meson's own error" "$out"
fi

mkdir -p "$HH_ROOT/badcode"
printf "project('x', 'c')\nexecutable('x', 'x.c')\n" >"$HH_ROOT/badcode/meson.build"
echo "int main(void) { return no_such_name; }" >"$HH_ROOT/badcode/x.c"
(HH_ROOT="$HH_ROOT/badcode" hh_build build) >"$HH_ROOT/build.out" 2>&1
status=$?
out=$(cat "$HH_ROOT/build.out")
if [ "$status" != 0 ] && grep -q "building build/ (ninja)" <<<"$out" &&
    grep -q "the build of build failed" <<<"$out" && grep -q "no_such_name" <<<"$out"; then
    point OK "a build that fails shows the compiler's error"
else
    point FAIL "a build that fails shows the compiler's error" "status $status: $out"
fi
# test.sh lists what did not pass at its end, where a CI log's tail shows it.
cat >"$HH_ROOT/testlog.json" <<'EOF'
{"name": "engine / engine-wait", "result": "OK"}
{"name": "examples / scenarios-pass-real-clock", "result": "FAIL"}
{"name": "cli / cli", "result": "TIMEOUT"}
{"name": "ddi / ddi-list", "result": "EXPECTEDFAIL"}
EOF
out=$(python3 "$root/scripts/testlog-counts.py" "$HH_ROOT/testlog.json" "$HH_ROOT/failed" gcc)
listed=$(cat "$HH_ROOT/failed" 2>/dev/null)
want=$'gcc: examples / scenarios-pass-real-clock (FAIL)\ngcc: cli / cli (TIMEOUT)'
if [ "$out" = "2 2" ] && [ "$listed" = "$want" ]; then
    point OK "the counts name each test that did not pass"
else
    point FAIL "the counts name each test that did not pass" "counts '$out', listed: $listed"
fi
# A failed fuzz case shows its report, not the fuzzing before it, and its input's bytes.
mkdir -p "$HH_ROOT/case/artifacts"
{ echo "#1000 NEW cov: 12"; echo "==7==ERROR: AddressSanitizer: heap-buffer-overflow"
  echo "    #0 0x1 in parse x.c:3"; } >"$HH_ROOT/case/fuzz.log"
printf 'a\000\377{"x":1}' >"$HH_ROOT/case/artifacts/crash-1"
out=$(hh_show_fuzz_failure "$HH_ROOT/case")
hex=$(sed -n '/crash-1/,$p' <<<"$out" | tail -n +2 | tr -d ' \n')
if grep -q "ERROR: AddressSanitizer: heap-buffer-overflow" <<<"$out" &&
    grep -q "in parse x.c:3" <<<"$out" && ! grep -q "NEW cov" <<<"$out" &&
    python3 -c 'import sys; sys.exit(bytes.fromhex(sys.argv[1]) != open(sys.argv[2], "rb").read())' \
        "$hex" "$HH_ROOT/case/artifacts/crash-1"; then
    point OK "a failed fuzz case shows its report and its input in hex"
else
    point FAIL "a failed fuzz case shows its report and its input in hex" "$out"
fi
[ "$failed" = 0 ]
