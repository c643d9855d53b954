#!/usr/bin/env bash
# Renders the README's picture, docs/img/timeline.svg, from a real run: a broken example's
# timeline page, of which the picture is the SVG. Run it again when the drawing changes.
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages
hh_build build
cd "$HH_ROOT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The example fails (exit 1): that is what the picture shows.
build/harness/cli/hotswap-harness run --quiet --module-path build/examples \
    --timeline "$tmp/page.html" examples/broken/queue_worker_drains_first_ignores_stop.json \
    >/dev/null || [ $? = 1 ]
python3 - "$tmp/page.html" docs/img/timeline.svg <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
open(sys.argv[2], "w", encoding="utf-8").write(svg + "\n")
PY
echo "wrote docs/img/timeline.svg ($(wc -c <docs/img/timeline.svg) bytes)"
