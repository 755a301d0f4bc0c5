#!/usr/bin/env bash
# Runs a command as root inside a VM on a cgroup v2-only host: Debian 12's own
# kernel (linux-image-amd64) under qemu with KVM, the host's root file system
# shared read-only over virtio-9p, the given directories shared writable at
# the same paths, fresh tmpfs on /tmp and /run, and only the unified cgroup
# hierarchy mounted (cgroup_no_v1=all). Prints the guest's console; exits with
# the command's exit status, 77 (skip) when /dev/kvm is missing.
#
#   tests/vm/vm-run.sh [--rw DIR]... [--mem MIB] -- COMMAND [ARGS]...
#
# The kernel comes from $VERDICT_VM_KERNEL (a dir that fetch-kernel.sh filled),
# default /var/cache/verdict-vm (~/.cache/verdict-vm when that is not
# writable); fetched there on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rw=()
mem=4096
while [ $# -gt 0 ]; do
	case "$1" in
	--rw) rw+=("$(cd "$2" && pwd)"); shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "vm-run: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "vm-run: no command" >&2; exit 2; }
# KVM where the CPU virtualizes (vmx/svm) and /dev/kvm is ours; else TCG
# (emulation, about ten times slower), saying why. A /dev/kvm without vmx/svm
# is PVM (kvm_pvm, as on these machines): it runs only PVM guest kernels.
if [ -z "${VM_ACCEL:-}" ]; then
	if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		VM_ACCEL="-enable-kvm -cpu host"
	else
		if [ ! -e /dev/kvm ]; then why="there is no /dev/kvm"
		elif [ ! -w /dev/kvm ]; then why="/dev/kvm is not writable by uid $(id -u)"
		else why="/dev/kvm is not hardware KVM (the CPU shows no vmx/svm; $(ls /sys/module | grep -m1 kvm_ || echo kvm) runs only guest kernels built for it)"
		fi
		echo "vm-run: $why: emulating the CPU with TCG instead (slower)" >&2
		VM_ACCEL="-accel tcg,thread=multi -cpu max"
	fi
fi
command -v qemu-system-x86_64 >/dev/null || { echo "vm-run: qemu-system-x86_64 is not installed (package qemu-system-x86)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "vm-run: /bin/busybox is not installed (package busybox-static)" >&2; exit 1; }
kdir=${VERDICT_VM_KERNEL:-/var/cache/verdict-vm}
if [ -z "${VERDICT_VM_KERNEL:-}" ] && [ ! -f "$kdir/vmlinuz" ] && ! { mkdir -p "$kdir" && [ -w "$kdir" ]; } 2>/dev/null; then
	kdir=$HOME/.cache/verdict-vm
fi
[ -f "$kdir/vmlinuz" ] || "$here/fetch-kernel.sh" "$kdir" >&2

work=$(mktemp -d /tmp/verdict-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The command, run in the guest by /init once the root is switched.
{
	echo '#!/bin/sh'
	printf 'cd %q\n' "$PWD"
	printf 'export PATH=%q HOME=/root TERM=dumb\n' "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for v in $(compgen -e); do
		case "$v" in VERDICT_*|ASAN_OPTIONS|UBSAN_OPTIONS|MALLOC_PERTURB_|CK_*) printf 'export %s=%q\n' "$v" "${!v}" ;; esac
	done
	printf '%q ' "$@"
	echo
	echo 'echo "vm-run: exit status $?" > /mnt/vm-out/status'
} > "$work/cmd.sh"
chmod +x "$work/cmd.sh"

# The initramfs: busybox, the modules for virtio-9p, and /init.
mkdir -p "$work/initrd/bin" "$work/initrd/mods"
cp /bin/busybox "$work/initrd/bin/busybox"
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p; do
	cp "$kdir/modules/$m.ko" "$work/initrd/mods/"
done
{
	cat <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci 9pnet 9pnet_virtio netfs fscache 9p; do
	insmod /mods/$m.ko || echo "vm-run: cannot load $m"
done
ip link set lo up || echo "vm-run: cannot bring lo up"
mkdir -p /newroot
opts=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o ro,cache=loose,$opts hostroot /newroot || { echo "vm-run: cannot mount the host root"; poweroff -f; }
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=755 tmpfs /newroot/run
mount -t tmpfs -o mode=755 tmpfs /newroot/mnt
mkdir -p /newroot/mnt/vm-out
mount -t 9p -o cache=mmap,$opts vmout /newroot/mnt/vm-out
INIT
	i=0
	for d in "${rw[@]}"; do
		printf 'mount -t 9p -o cache=mmap,%s rw%d %q\n' '$opts' "$i" "/newroot$d"
		i=$((i + 1))
	done
	cat <<'INIT'
mount --move /dev /newroot/dev
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount -t cgroup2 -o nsdelegate cgroup2 /newroot/sys/fs/cgroup
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
exec switch_root /newroot /bin/sh -c '/mnt/vm-out/cmd.sh; sync; echo o > /proc/sysrq-trigger; sleep 30'
INIT
} > "$work/initrd/init"
chmod +x "$work/initrd/init"
mkdir -p "$work/initrd/proc" "$work/initrd/sys" "$work/initrd/dev"
(cd "$work/initrd" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$work/initrd.gz"

mkdir -p "$work/out"
cp "$work/cmd.sh" "$work/out/cmd.sh"
shares=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$work/out,mount_tag=vmout,security_model=none,multidevs=remap")
i=0
for d in "${rw[@]}"; do
	shares+=(-virtfs "local,path=$d,mount_tag=rw$i,security_model=none,multidevs=remap")
	i=$((i + 1))
done
cpus=$(nproc)
qemu-system-x86_64 $VM_ACCEL -smp "$cpus" -m "$mem" -nographic -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" "${shares[@]}" \
	-append "console=ttyS0 ${VM_KERNEL_ARGS:-quiet loglevel=3} panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 rdinit=/init" \
	</dev/null
status=$(cat "$work/out/status" 2>/dev/null || true)
case "$status" in
"vm-run: exit status "*) exit "${status##* }" ;;
*) echo "vm-run: the VM ended without the command's status" >&2; exit 1 ;;
esac
