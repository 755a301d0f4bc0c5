#!/usr/bin/env bash
# Benchmark of the two hottest reads under concurrent load from a loopback
# client (wrk):
#   GET /api/problems/{id}/submissions?page=1   20 rows of a 100,000-row table
#   GET /api/submissions/{id}                   a random one of the 100,000
# The table is filled straight into SQLite by api-fill before the server
# starts. Reports requests/s, p50 and p99 latency and the server's RSS.
# Not a test: it asserts nothing about speed. Run it with
#   meson test -C build --setup bench --suite bench api-bench --verbose
#
# Environment: VERDICT_BIN, API_FILL (set by meson); optional
#   BENCH_DURATION (10s), BENCH_CONNECTIONS (32), BENCH_THREADS (1: wrk shares the 2 cores),
#   BENCH_ROWS (100000), BENCH_LOG_LEVEL (warn), BENCH_PERF=1 (perf record the server).
set -euo pipefail

bin=${VERDICT_BIN:?}
fill=${API_FILL:?}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-1}
rows=${BENCH_ROWS:-100000}
level=${BENCH_LOG_LEVEL:-warn}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/verdict-bench-XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

start=$(date +%s%N)
problem=$("$fill" "$dir/data" "$rows")
echo "filled $rows submissions in $(( ($(date +%s%N) - start) / 1000000 )) ms (straight into SQLite, before the server starts)"

"$bin" serve --listen 127.0.0.1:0 --data "$dir/data" --port-file "$dir/port" --log-level "$level" \
	2>"$dir/server.log" &
pid=$!
for _ in $(seq 500); do [ -s "$dir/port" ] && break; sleep 0.02; done
port=$(cat "$dir/port")
base="http://127.0.0.1:$port"

token=$(curl -sf -H 'Content-Type: application/json' \
	-d '{"username": "bench", "password": "bench-password"}' "$base/api/auth/login" |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "cannot log in"; exit 1; }

cat >"$dir/list.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat >"$dir/one.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
math.randomseed(42)
request = function()
	return wrk.format("GET", "/api/submissions/" .. math.random(1, $rows))
end
LUA

# Sanity: the answers are what they should be.
curl -sf -H "Authorization: Bearer $token" "$base/api/problems/$problem/submissions?page=1" |
	grep -q "\"total\":$rows" || { echo "unexpected list answer"; exit 1; }
curl -sf -H "Authorization: Bearer $token" "$base/api/submissions/2" | grep -q '"source"' ||
	{ echo "unexpected submission answer"; exit 1; }

if [ "${BENCH_PERF:-0}" = 1 ]; then
	perf record -g -p "$pid" -o "$dir/perf.data" -- sleep 1000 2>/dev/null &
	perf_pid=$!
fi

# The server's CPU time so far (utime + stime), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

run() { # name path script
	local out before after
	before=$(cpu_ticks)
	wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$3" "$base$2" >"$dir/wrk.out" 2>&1
	after=$(cpu_ticks)
	out=$(cat "$dir/wrk.out")
	local rps p50 p99 rss errors requests cpu
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	requests=$(awk '/requests in/ {print $1}' <<<"$out")
	errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
	rss=$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$pid/status")
	# Server CPU per request: less sensitive than requests/s to whatever else runs on the machine.
	cpu=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / (requests > 0 ? requests : 1) ))
	printf '| %-44s | %10s | %8s | %8s | %10s | %7s us |\n' "$1" "$rps" "$p50" "$p99" "$rss" "$cpu"
	[ -z "$errors" ] || echo "  $errors"
}

echo
echo "verdict $("$bin" --version | cut -d' ' -f2), $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg) before the run), wrk -t$threads -c$conns -d$duration, server --log-level $level"
printf '| %-44s | %10s | %8s | %8s | %10s | %10s |\n' "endpoint" "requests/s" "p50" "p99" "server RSS" "server CPU/req"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "------------" "----------" "----------" "------------" "----------------"
run "GET /api/problems/$problem/submissions?page=1" "/api/problems/$problem/submissions?page=1" "$dir/list.lua"
run "GET /api/submissions/{random id}" "/api/submissions/1" "$dir/one.lua"
echo "peak server RSS: $(awk '/^VmHWM/ {print $2 " " $3}' "/proc/$pid/status")"

if [ "${BENCH_PERF:-0}" = 1 ]; then
	kill -INT "$perf_pid"; wait "$perf_pid" || true
	perf report -i "$dir/perf.data" --no-children --sort ${BENCH_PERF_SORT:-dso,symbol} -g none --percent-limit 0.7 --stdio 2>/dev/null | grep -v "^$" | grep -v "^#" | head -60
fi
kill -TERM "$pid"
wait "$pid"
pid=
