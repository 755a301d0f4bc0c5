#!/usr/bin/env bash
# Fetches Debian 12's own kernel (the package linux-image-amd64 depends on)
# with apt-get download, and keeps its vmlinuz and the modules the VM needs
# for virtio-9p in DIR (default /var/cache/verdict-vm). Installs nothing.
set -euo pipefail
dir=${1:-/var/cache/verdict-vm}
pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$pkg" ] || { echo "fetch-kernel: apt-cache does not know linux-image-amd64 (apt-get update?)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
(cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$pkg"; })
dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
mkdir -p "$dir.new/modules"
cp "$tmp"/root/boot/vmlinuz-* "$dir.new/vmlinuz"
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p; do
	f=$(find "$tmp/root/lib/modules" -name "$m.ko" -o -name "$m.ko.xz" | head -1)
	[ -n "$f" ] || { echo "fetch-kernel: $pkg has no module $m" >&2; exit 1; }
	case "$f" in *.xz) xz -dc "$f" > "$dir.new/modules/$m.ko" ;; *) cp "$f" "$dir.new/modules/" ;; esac
done
echo "$pkg" > "$dir.new/package"
rm -rf "$dir"
mv "$dir.new" "$dir"
echo "fetch-kernel: $pkg in $dir" >&2
