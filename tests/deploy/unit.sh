#!/usr/bin/env bash
# The systemd unit for real: the .deb and systemd in a pristine Debian 12 root,
# booted with systemd as init in a podman container (this host has no systemd).
# verdict.service must come up by itself (enabled by the package), with its
# hardening, and judge a C submission AC (a wrong one WA) over HTTP; the journal
# must show every protection active; systemctl stop must end it with status 0.
# The only change to the package's files is a drop-in that listens on 0.0.0.0.
. "$(dirname "$0")/lib.sh"
need_root_tools mmdebstrap dpkg-buildpackage unshare chroot podman curl python3
runtime=${PODMAN_RUNTIME:-$(command -v runc || true)}
pod() { podman ${runtime:+--runtime "$runtime"} "$@"; }
deb=$(deb_file)
tar=$(base_tarball)
R=$WORK/root
rm -rf "$R" && mkdir -p "$R"
tar -C "$R" -xf "$tar"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$deb" "$R/tmp/verdict.deb"
in_root() { "$SRC/tests/deploy/in-root.sh" "$R" "$@"; }
in_root env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -q &&
	apt-get install -y -q --no-install-recommends systemd /tmp/verdict.deb' >"$WORK/apt.log" 2>&1 ||
	{ tail -n 30 "$WORK/apt.log"; fail "apt-get install systemd verdict.deb failed"; }
[ -L "$R/etc/systemd/system/multi-user.target.wants/verdict.service" ] || fail "the package did not enable the unit"
mkdir -p "$R/etc/systemd/system/verdict.service.d"
printf '[Service]\nEnvironment=VERDICT_LISTEN=0.0.0.0:8100\n' >"$R/etc/systemd/system/verdict.service.d/listen.conf"
rm -f "$R/tmp/verdict.deb"
tag=localhost/verdict:deploy-unit-test
tar -C "$R" -cf - . | pod import - "$tag" >/dev/null || fail "podman import failed"
rm -rf "$R"

name=verdict-deploy-unit-$$
trap 'pod rm -f "$name" >/dev/null 2>&1 || true; pod rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
pod run -d --name "$name" --privileged --ulimit nofile=16384:16384 --ulimit nproc=8192:8192 \
	-p 127.0.0.1::8100 "$tag" /lib/systemd/systemd >/dev/null ||
	skip "podman cannot boot systemd in a container here"
port=$(pod port "$name" 8100 | head -n 1 | sed 's/.*://')
state=""
for _ in $(seq 1 120); do
	state=$(pod exec "$name" systemctl is-active verdict 2>/dev/null || true)
	[ "$state" = active ] && curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
	sleep 0.5
done
[ "$state" = active ] || { pod exec "$name" journalctl -u verdict --no-pager | tail -n 20; fail "verdict.service is '$state'"; }
note "verdict.service is active under systemd"

echo admin-secret-pw | pod exec -i "$name" verdict user add admin --admin >/dev/null || fail "user add failed"
pod cp "$SRC/tests/packages/exact-greeting" "$name:/tmp/exact-greeting"
pod exec "$name" verdict problem import /tmp/exact-greeting >/dev/null || fail "problem import failed"
judge "http://127.0.0.1:$port" admin admin-secret-pw ||
	{ pod exec "$name" journalctl -u verdict --no-pager | tail -n 30; exit 1; }

# The server's own lines (-t verdict: by identifier, which does not depend on
# journald knowing the sender's unit); the stream may reach journald late.
line=""
for _ in $(seq 1 40); do
	pod exec "$name" journalctl -t verdict --no-pager >"$WORK/journal.log" 2>&1 || true
	line=$(grep -m 1 'judge: protection (worker ' "$WORK/journal.log" || true)
	[ -n "$line" ] && break
	sleep 0.5
done
[ -n "$line" ] || { tail -n 30 "$WORK/journal.log"; fail "the journal has no protection summary"; }
for p in pid_namespace mount_namespace net_namespace seccomp_run cgroup_memory cgroup_pids per_slot_uid no_new_privs; do
	case $line in *"active: "*"$p"*) ;; *) fail "under the unit, $p is not active: $line" ;; esac
done
case $line in *MISSING* | *missing:*) fail "a protection is missing under the unit: $line" ;; esac
note "every protection active under the unit's hardening"

pod exec "$name" systemctl stop verdict || fail "systemctl stop failed"
status=$(pod exec "$name" systemctl show -p ExecMainStatus --value verdict)
[ "$status" = 0 ] || fail "verdict exited $status on systemctl stop"
# The server's last lines may reach journald after systemctl stop returns: wait for them.
shut=""
for _ in $(seq 1 40); do
	if pod exec "$name" journalctl -t verdict --no-pager 2>/dev/null | grep -q 'received SIGTERM, shutting down'; then
		shut=yes
		break
	fi
	sleep 0.5
done
[ -n "$shut" ] || fail "the journal shows no clean shutdown"
note "systemctl stop: exit 0, clean shutdown"
