#!/usr/bin/env bash
# Builds verdict's .deb with the Debian tools (dpkg-buildpackage, debhelper,
# meson) in a copy of the source tree, so the tree itself stays clean.
#   packaging/build-deb.sh [OUTDIR]      (default: build-deb/)
# Prints the path of the .deb. Needs the packages of packaging/debian-deps.txt.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$src/build-deb}" && cd "${1:-$src/build-deb}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The tracked and new (not ignored) files, as they are now in the tree.
mkdir "$work/verdict"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' |
	tar --null -T - -cf -) | tar -C "$work/verdict" -xf -
cp -r "$src/packaging/debian" "$work/verdict/debian"

start=$(date +%s)
(cd "$work/verdict" && DEB_BUILD_OPTIONS="parallel=$(nproc) ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
	tail -n 60 "$work/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed" >&2
	exit 1
}
for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes; do
	[ -e "$f" ] && mv "$f" "$out/"
done
deb=
for f in "$out"/verdict_*.deb; do
	case $f in *-dbgsym_*) ;; *) deb=$f ;; esac
done
[ -n "$deb" ] || { echo "build-deb: no .deb was made" >&2; exit 1; }
echo "build-deb: $deb in $(( $(date +%s) - start )) s" >&2
echo "$deb"
