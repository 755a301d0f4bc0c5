#!/usr/bin/env bash
# Builds verdict's OCI image without any registry: a Debian 12 root made by
# mmdebstrap from Debian's mirror with the .deb installed in it, imported by
# podman with verdict serve as its entry point (pid 1 in the container).
#   packaging/build-image.sh [DEB] [TAG]   (default: a fresh build-deb.sh; verdict:latest)
# Runs as root (mmdebstrap's root mode, podman's root storage).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$("$src/packaging/build-deb.sh")}
tag=${2:-verdict:latest}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
# The settings inside: listen on every address of the container's network.
cp "$deb" "$work/verdict.deb"
mmdebstrap --quiet --variant=apt \
	--customize-hook="copy-in $work/verdict.deb /tmp" \
	--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/verdict.deb' \
	--customize-hook='rm -f "$1/tmp/verdict.deb"' \
	--customize-hook='sed -i "s/^listen = .*/listen = 0.0.0.0:8100/" "$1/etc/verdict/verdict.conf"' \
	--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/usr/share/doc/*/changelog*' \
	bookworm "$work/root.tar" "$mirror" >&2
podman import \
	--change 'ENTRYPOINT ["/usr/bin/verdict", "serve", "--listen", "0.0.0.0:8100", "--data", "/var/lib/verdict"]' \
	--change 'WORKDIR /var/lib/verdict' \
	--change 'EXPOSE 8100/tcp' \
	--change 'STOPSIGNAL SIGTERM' \
	--change 'VOLUME /var/lib/verdict' \
	"$work/root.tar" "$tag" >/dev/null
echo "build-image: $tag in $(( $(date +%s) - start )) s," \
	"$(podman image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1 / 1e6}')" >&2
echo "$tag"
