#!/bin/sh
# Runs one libFuzzer harness for a bounded time over its committed seeds:
#   run.sh HARNESS SEEDS WORK SECONDS [libFuzzer options...]
# New inputs go to WORK/corpus (kept between runs), crash inputs to
# WORK/crash-*. FUZZ_SECONDS overrides SECONDS. Exits non-zero on any crash,
# leak, timeout or sanitizer report.
set -eu
harness=$1 seeds=$2 work=$3 seconds=${FUZZ_SECONDS:-$4}
shift 4
mkdir -p "$work/corpus"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# libFuzzer's own exit code for a finding is 77, which meson counts as a skip.
exec timeout $((seconds + 120)) "$harness" -max_total_time="$seconds" -timeout=10 -error_exitcode=1 \
	-timeout_exitcode=1 -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
