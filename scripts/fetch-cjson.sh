#!/usr/bin/env bash
# fetch-cjson.sh - brings cJSON's source for builds that cannot use the system's libcjson (the
# MinGW cross build). Debian's source package is fetched with a private apt configuration
# (deb-src entries for the mirrors this machine already uses; the system's apt state is not
# touched), then placed where subprojects/cjson.wrap expects it: the upstream tarball and one
# patch holding the whole Debian series (security fixes included). Neither is committed.
# Needs dpkg-dev (apt-get source) and diffutils. Idempotent: does nothing once both are there.
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
files="$HH_ROOT/subprojects/packagefiles"
wrap="$HH_ROOT/subprojects/cjson.wrap"

# The wrap is the one place naming the version and the tarball's hash.
wrap_value() { sed -n "s/^$1[[:space:]]*=[[:space:]]*//p" "$wrap"; }
tarball=$(wrap_value source_filename)
want_hash=$(wrap_value source_hash)
top=$(wrap_value directory)
patch_name=$(wrap_value diff_files)
version=${tarball#cjson_}
version=${version%.orig.tar.gz}

have_hash() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$want_hash" ]; }

if have_hash "$files/$tarball" && [ -s "$files/$patch_name" ]; then
    exit 0
fi

die() { echo "fetch-cjson: $*" >&2; exit 1; }
command -v dpkg-source >/dev/null || die "dpkg-source is missing: install dpkg-dev"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/parts" "$work/src"

# deb-src lines for the Debian repositories the system's own deb lines name.
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opts=""
[ -f "$keyring" ] && opts=" [signed-by=$keyring]"
apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
        'Origin: Debian' 'Target-Of: deb' 2>/dev/null | sort -u |
    while read -r uri release component; do
        echo "deb-src$opts $uri $release $component"
    done >"$work/sources.list"
if [ ! -s "$work/sources.list" ]; then
    # No index downloaded yet: derive the lines from the configured sources instead.
    apt-get update -qq >/dev/null || die "apt-get update failed"
    apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
            'Origin: Debian' 'Target-Of: deb' 2>/dev/null | sort -u |
        while read -r uri release component; do
            echo "deb-src$opts $uri $release $component"
        done >"$work/sources.list"
fi
[ -s "$work/sources.list" ] || die "no Debian repository is configured for apt"

apt_private=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/parts"
             -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
             -o "APT::Sandbox::User=$(id -un)" -qq)
apt-get "${apt_private[@]}" update >"$work/update.log" 2>&1 ||
    { cat "$work/update.log" >&2; die "apt-get update of the deb-src entries failed"; }
(cd "$work/src" && apt-get "${apt_private[@]}" source "cjson" >"$work/source.log" 2>&1) ||
    { cat "$work/source.log" >&2; die "apt-get source cjson failed"; }

have_hash "$work/src/$tarball" ||
    die "Debian's $tarball is missing or its sha256 is not the one subprojects/cjson.wrap pins;" \
        "Debian now ships $(cd "$work/src" && ls ./*.orig.tar.* 2>/dev/null | tr '\n' ' ')"
patched="$work/src/cjson-$version"
[ -d "$patched" ] || die "apt-get source did not unpack cjson-$version"

# One unified diff, upstream -> Debian's patched tree (a/ and b/, applied with -p1 inside the
# source folder), without Debian's own folders.
mkdir -p "$work/a"
tar -xzf "$work/src/$tarball" -C "$work/a" --strip-components=1
mv "$patched" "$work/b"
(cd "$work" && diff -ruN --exclude=debian --exclude=.pc a b >patch) &&
    die "Debian's cjson $version carries no patch over upstream: unexpected"
[ -s "$work/patch" ] || die "the diff of Debian's patches could not be made"

mkdir -p "$files"
cp "$work/src/$tarball" "$files/$tarball"
cp "$work/patch" "$files/$patch_name"
series=$(grep -cv '^#' "$work/b/debian/patches/series" 2>/dev/null || echo 0)
echo "fetch-cjson: cJSON $version and Debian's $series patches are in subprojects/packagefiles"
