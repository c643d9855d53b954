# lib.sh - shared by the scripts: install what is missing, configure and build.
# Sourced, not run. Set HH_ROOT to the repository root before sourcing.

hh_packages="meson ninja-build pkg-config gcc clang python3 python3-jsonschema libcjson-dev"

# Installs the Debian packages the build needs, once, only when something is missing.
hh_ensure_packages() {
    local missing="" p
    for p in $hh_packages "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "hotswap-harness: missing packages:$missing; run as root or install them" >&2
        return 1
    fi
    echo "hotswap-harness: installing$missing" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

# hh_build DIR [meson setup options...]: configures DIR once, then builds it.
hh_build() {
    local dir="$1"
    shift
    if [ ! -f "$HH_ROOT/$dir/build.ninja" ]; then
        meson setup "$HH_ROOT/$dir" "$HH_ROOT" "$@" >/dev/null || {
            echo "hotswap-harness: meson setup $dir failed; see $dir/meson-logs/meson-log.txt" >&2
            return 1
        }
    fi
    ninja -C "$HH_ROOT/$dir" >/dev/null || {
        ninja -C "$HH_ROOT/$dir" 2>&1 | tail -40 >&2
        return 1
    }
}
