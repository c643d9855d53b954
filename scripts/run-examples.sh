#!/usr/bin/env bash
# Builds the harness and plays the bundled example suite in scenarios/.
# Usage: scripts/run-examples.sh [extra `hotswap-harness run` options]
set -euo pipefail
HH_ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$HH_ROOT/scripts/lib.sh"
hh_ensure_packages
hh_build build
exec "$HH_ROOT/build/harness/cli/hotswap-harness" run --module-path "$HH_ROOT/build/scenarios" \
    "$@" "$HH_ROOT/scenarios"
