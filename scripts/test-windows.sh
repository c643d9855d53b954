#!/usr/bin/env bash
# test-windows.sh - the Windows target: cross-builds it with MinGW-w64 into build-win/ and
# runs the whole test suite, the example scenarios among it, under Wine. Fails when anything
# failed, and also when any test or TAP point was skipped rather than run (a cross build
# whose binaries cannot run still lets `meson test` exit 0). Wine gets a fresh prefix in a
# temporary folder, removed at the end. Prints "N passed, N failed" as its last line.
set -uo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
build=build-win

# Wine's recommended packages (graphics, sound, printing) are not needed by console
# programs: leaving them out saves most of the download.
apt_conf=$(mktemp)
echo 'APT::Install-Recommends "false";' >"$apt_conf"
APT_CONFIG="$apt_conf" hh_ensure_packages gcc-mingw-w64-x86-64 wine wine64 dpkg-dev || {
    rm -f "$apt_conf"
    exit 1
}
rm -f "$apt_conf"

hh_stage "Windows: fetching cJSON's source for the cross build (scripts/fetch-cjson.sh)"
bash "$HH_ROOT/scripts/fetch-cjson.sh" || exit 1

WINEPREFIX=$(mktemp -d "${TMPDIR:-/tmp}/hh-wine.XXXXXX")
# No .NET or HTML engine: nothing here needs them, and Wine would offer to download them.
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=;mshtml="
cleanup() {
    wineserver -k >/dev/null 2>&1
    rm -rf "$WINEPREFIX"
}
trap cleanup EXIT
# The prefix is made once (about ten seconds); a persistent wineserver then keeps every
# later start quick.
hh_stage "Windows: making a fresh Wine prefix (wineboot, about ten seconds)"
wineboot -i >/dev/null 2>&1 || { echo "hotswap-harness: wineboot failed" >&2; exit 1; }
wineserver -p

if ! hh_build "$build" --cross-file "$HH_ROOT/scripts/cross/mingw-w64-x86_64.ini"; then
    echo "hotswap-harness: the Windows build failed" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
status=0
hh_stage "Windows: running every test under Wine (meson test -C $build)"
# Four at once on two cores: under Wine the tests mostly wait on process starts and on the
# wineserver, not on a processor.
logs="$HH_ROOT/$build/meson-logs"
rm -f "$logs/testlog-again.json"
if ! meson test -C "$HH_ROOT/$build" --print-errorlogs --num-processes 4; then
    # A test that failed without printing a line never started: under load Wine now and then
    # fails a process start. Those run once more, alone; the rest stand as they are.
    cp "$logs/testlog.json" "$logs/testlog-first.json"
    again=$(python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    if t["result"] in ("FAIL", "ERROR") and not (t.get("stdout") or "").strip():
        print(t["name"].split(" / ")[-1])
' "$logs/testlog-first.json")
    if [ -n "$again" ]; then
        hh_stage "Windows: once more, the tests Wine did not start:" $again
        # shellcheck disable=SC2086
        meson test -C "$HH_ROOT/$build" --print-errorlogs --num-processes 1 $again || true
        cp "$logs/testlog.json" "$logs/testlog-again.json"
    fi
    cp "$logs/testlog-first.json" "$logs/testlog.json"
fi

# Every test must have run: a SKIP, or a TAP point marked SKIP, is a failure here. A test
# run again (above) counts as its second run says.
python3 - "$logs/testlog.json" "$logs/testlog-again.json" <<'EOF' || status=1
import json, os, re, sys
ok = bad = 0
skipped = []
again = {}
if os.path.exists(sys.argv[2]):
    with open(sys.argv[2], encoding="utf-8") as log:
        for line in log:
            t = json.loads(line)
            again[t["name"]] = t
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        t = json.loads(line)
        if t["name"] in again:
            print("hotswap-harness: run again under Wine, which had not started it: %s (%s)"
                  % (t["name"], again[t["name"]]["result"]))
            t = again[t["name"]]
        points = re.findall(r"^ok \d+[^\n#]*#\s*skip\b.*$", t.get("stdout") or "",
                            re.IGNORECASE | re.MULTILINE)
        if t["result"] == "SKIP" or points:
            skipped.append(t["name"] + (": " + points[0] if points else ""))
        if t["result"] in ("OK", "EXPECTEDFAIL") and not points:
            ok += 1
        else:
            bad += 1
            if not points and t["result"] != "SKIP":
                print("hotswap-harness: failed under Wine: %s (%s)" % (t["name"], t["result"]))
for name in skipped:
    print("hotswap-harness: failed under Wine (skipped, not run): " + name)
if ok == 0:
    print("hotswap-harness: no Windows test ran", file=sys.stderr)
    bad += 1
print("%d passed, %d failed" % (ok, bad))
sys.exit(1 if bad else 0)
EOF
exit $status
