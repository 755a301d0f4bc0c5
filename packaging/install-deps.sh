#!/usr/bin/env bash
# Installs the Debian packages listed in packaging/debian-deps.txt that are missing.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(sed 's/#.*//; /^[[:space:]]*$/d' "$here/debian-deps.txt")
missing=()
# A name counts as present when that package is installed or when an installed
# package provides it (nodejs from other repositories provides npm, for one).
provided() {
	dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null |
		awk -F'|' -v want="$1" '$1 ~ /^ii/ { n = split($2, a, /, */)
			for (i = 1; i <= n; i++) { sub(/ .*/, "", a[i]); if (a[i] == want) found = 1 } }
			END { exit !found }'
}
for p in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || provided "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}" >&2
	sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
