#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the normal build, then
# the same suites under AddressSanitizer + UndefinedBehaviorSanitizer, then a
# short pass of the libFuzzer harnesses (FUZZ_SECONDS each, 10 by default).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
# The browser tests' npm packages (playwright-core; the browser is Debian's chromium).
[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund)

[ -f build/build.ninja ] || meson setup build
meson compile -C build
meson test -C build --print-errorlogs --no-suite bench --no-suite vm
# The cgroup v2-only host, in a VM (tests/vm; minutes where the CPU is emulated).
meson test -C build --print-errorlogs --setup vm --suite vm
# Packaging (root, a Debian mirror): the .deb in a pristine Debian 12 root, the image under podman, the unit
# under systemd (tests/deploy; a few minutes).
meson test -C build --print-errorlogs --setup deploy --suite deploy

[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-asan --print-errorlogs --no-suite bench --no-suite browser --no-suite vm

[ -f build-fuzz/build.ninja ] || meson setup build-fuzz --native-file tests/fuzz/fuzz.ini
meson compile -C build-fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-10} meson test -C build-fuzz --print-errorlogs --suite fuzz
echo "all tests passed"
