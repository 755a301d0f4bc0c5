# shellcheck shell=bash
# Shared by the deploy tests (sourced). Each test gets SRC (the source tree) and
# WORK (its own dir in the build tree) from meson; the .deb and a pristine
# Debian 12 root tarball are built once per build tree and reused.
set -euo pipefail
SRC=${SRC:?}
WORK=${WORK:?}
CACHE=${CACHE:-$WORK/..}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$WORK" "$CACHE"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "deploy: $*" >&2; }

need_root_tools() {
	[ "$(id -u)" = 0 ] || skip "needs root (chroot, mounts, podman)"
	for t in "$@"; do command -v "$t" >/dev/null || skip "$t is not installed (packaging/debian-deps.txt)"; done
}

# The .deb of the tree as it is now (rebuilt when a tracked file is newer).
deb_file() {
	local deb
	deb=$(ls "$CACHE"/deb/verdict_*_amd64.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ] || [ -n "$(cd "$SRC" && git ls-files -z --cached --others --exclude-standard -- . ':!tests' |
		xargs -0 -I{} find {} -maxdepth 0 -newer "$deb" 2>/dev/null | head -n 1)" ]; then
		rm -rf "$CACHE/deb"
		local t0=$SECONDS
		deb=$("$SRC/packaging/build-deb.sh" "$CACHE/deb")
		note "built $(basename "$deb") in $((SECONDS - t0)) s"
	fi
	echo "$deb"
}

# A pristine Debian 12 root (mmdebstrap --variant=apt), as a tarball.
base_tarball() {
	local tar=$CACHE/bookworm-base.tar
	if [ ! -s "$tar" ]; then
		local t0=$SECONDS
		mmdebstrap --quiet --variant=apt --format=tar bookworm "$tar.part" "$MIRROR" >&2 ||
			skip "mmdebstrap could not reach $MIRROR"
		mv "$tar.part" "$tar"
		note "made the Debian 12 root in $((SECONDS - t0)) s"
	fi
	echo "$tar"
}

# The JSON field PATH (dots) of stdin, or "" when absent.
json() { python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else (v or {}).get(k)
print("" if v is None else v)' "$1"; }

# judge URL ADMIN PASSWORD: the admin imports nothing (the problem exact-greeting
# was imported already); it creates a user, who submits the package's accepted C
# file and a wrong one; both must get their verdict (AC, WA).
judge() {
	local url=$1 admin=$2 pass=$3 tok utok pid sub v want
	curl -fsS "$url/healthz" >/dev/null || fail "/healthz does not answer at $url"
	tok=$(curl -fsS -H 'Content-Type: application/json' \
		-d "{\"username\":\"$admin\",\"password\":\"$pass\"}" "$url/api/auth/login" | json token)
	[ -n "$tok" ] || fail "the admin cannot log in"
	curl -fsS -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
		-d '{"username":"carol","password":"carol-secret-pw","role":"user"}' "$url/api/users" >/dev/null ||
		fail "POST /api/users failed"
	utok=$(curl -fsS -H 'Content-Type: application/json' \
		-d '{"username":"carol","password":"carol-secret-pw"}' "$url/api/auth/login" | json token)
	[ -n "$utok" ] || fail "the new user cannot log in"
	pid=$(curl -fsS -H "Authorization: Bearer $utok" "$url/api/problems" | python3 -c 'import json,sys
d=json.load(sys.stdin)
if isinstance(d, dict): d = next(v for v in d.values() if isinstance(v, list))
print(next(p["id"] for p in d if p.get("slug") == "exact-greeting"))') || fail "no problem exact-greeting"
	for pair in "accepted:AC" "wrong_answer:WA"; do
		want=${pair#*:}
		local file
		file=$(ls "$SRC/tests/packages/exact-greeting/submissions/${pair%%:*}"/*.c | head -n 1)
		sub=$(python3 -c 'import json,sys; print(json.dumps({"language":"c","source":open(sys.argv[1]).read()}))' "$file" |
			curl -fsS -H "Authorization: Bearer $utok" -H 'Content-Type: application/json' -d @- \
				"$url/api/problems/$pid/submissions" | json id)
		[ -n "$sub" ] || fail "the submission was refused"
		v=""
		for _ in $(seq 1 120); do
			v=$(curl -fsS -H "Authorization: Bearer $utok" "$url/api/submissions/$sub" | json verdict)
			[ -n "$v" ] && break
			sleep 0.5
		done
		[ "$v" = "$want" ] || fail "$(basename "$file") was judged '${v:-nothing}', not $want"
		note "$(basename "$file") judged $v over HTTP"
	done
}
