#!/usr/bin/env bash
# Installs what is missing, builds, and starts verdict with a demo problem on http://127.0.0.1:8100.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build
exec ./build/verdict serve --demo --listen "${VERDICT_LISTEN:-127.0.0.1:8100}" "$@"
