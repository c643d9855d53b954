# lib.sh - shared by the scripts: install what is missing, configure and build.
# Sourced, not run. Set HH_ROOT to the repository root before sourcing.

hh_packages="meson ninja-build pkg-config gcc clang python3 python3-jsonschema libcjson-dev"

# When the outermost script began: the scripts call one another, and every stage line counts
# from the same start.
: "${HH_STAGE_START:=$(date +%s)}"
export HH_STAGE_START

# hh_stage TEXT: one progress line per stage, "[ 3:12] TEXT", minutes and seconds since the
# outermost script began.
hh_stage() {
    local t=$(($(date +%s) - HH_STAGE_START))
    printf '[%2d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*"
}

# hh_show_failure WHAT LOG: a failed step's own output (its last 60 lines) on stderr.
hh_show_failure() {
    echo "hotswap-harness: $1 failed; its output (last 60 lines):" >&2
    tail -n 60 "$2" | sed 's/^/    /' >&2
}

# hh_show_fuzz_failure DIR: what a failed fuzz case (DIR/fuzz.log, DIR/artifacts/) needs in a
# CI log that keeps nothing else: the log from its report on (else its last 60 lines), and
# each input it wrote, in hex (xxd -r -p, or Python's bytes.fromhex, turns it back).
hh_show_fuzz_failure() {
    local dir="$1" a from
    from=$(grep -n -m1 'ERROR:\|runtime error\|deadly signal\|FINDING' "$dir/fuzz.log" | cut -d: -f1)
    echo "------ $dir/fuzz.log, from its report (or its last 60 lines):"
    if [ -n "$from" ]; then tail -n "+$from" "$dir/fuzz.log" | head -n 150
    else tail -n 60 "$dir/fuzz.log"; fi | sed 's/^/  | /'
    for a in "$dir"/artifacts/*; do
        [ -f "$a" ] || continue
        echo "------ $(basename "$a") ($(wc -c <"$a") bytes; hex, the first 16384 at most):"
        head -c 16384 "$a" | od -An -v -tx1 | tr -d ' \n' | fold -w 96 | sed 's/^/  /'
        echo
    done
}

# Installs the Debian packages the build needs, once, only when something is missing.
hh_ensure_packages() {
    local missing="" p log
    for p in $hh_packages "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "hotswap-harness: missing packages:$missing; run as root or install them" >&2
        return 1
    fi
    hh_stage "installing Debian packages (apt-get, with what they need):$missing"
    log=$(mktemp)
    # shellcheck disable=SC2086 # one word per package
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; } \
        >"$log" 2>&1; then
        hh_show_failure "apt-get install" "$log"
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

# hh_build DIR [meson setup options...]: configures DIR once, then builds it; the output of a
# step that fails is shown.
hh_build() {
    local dir="$1" log
    shift
    log=$(mktemp)
    if [ ! -f "$HH_ROOT/$dir/build.ninja" ]; then
        hh_stage "configuring $dir/ (meson setup${*:+ $*})"
        meson setup "$HH_ROOT/$dir" "$HH_ROOT" "$@" >"$log" 2>&1 || {
            hh_show_failure "meson setup $dir" "$log"
            echo "hotswap-harness: the whole log: $dir/meson-logs/meson-log.txt" >&2
            rm -f "$log"
            return 1
        }
    fi
    hh_stage "building $dir/ (ninja)"
    ninja -C "$HH_ROOT/$dir" >"$log" 2>&1 || {
        hh_show_failure "the build of $dir" "$log"
        rm -f "$log"
        return 1
    }
    rm -f "$log"
}
