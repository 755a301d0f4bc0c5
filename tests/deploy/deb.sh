#!/usr/bin/env bash
# The .deb in a pristine Debian 12 root: dpkg -i + apt-get -f install, the
# files it ships (unit, conffile, man page, binary) and the verdict user its
# postinst makes; then the unit's ExecStart line run in that root (no systemd in
# a chroot) with NoNewPrivileges emulated by setpriv, and a C submission judged
# AC (and a wrong one WA) over HTTP from the host; SIGTERM stops it with exit 0.
. "$(dirname "$0")/lib.sh"
need_root_tools mmdebstrap dpkg-buildpackage unshare chroot curl python3
deb=$(deb_file)
tar=$(base_tarball)
R=$WORK/root
rm -rf "$R" && mkdir -p "$R"
tar -C "$R" -xf "$tar"
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp "$deb" "$R/tmp/verdict.deb"
cp -r "$SRC/tests/packages/exact-greeting" "$R/tmp/exact-greeting"

in_root() { "$SRC/tests/deploy/in-root.sh" "$R" "$@"; }

t0=$SECONDS
in_root dpkg -i /tmp/verdict.deb >"$WORK/dpkg.log" 2>&1 || true # its dependencies are missing yet
in_root env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -q && apt-get -f install -y -q' \
	>"$WORK/apt.log" 2>&1 || { tail -n 30 "$WORK/apt.log"; fail "apt-get -f install failed"; }
note "installed with its dependencies in $((SECONDS - t0)) s"
in_root dpkg-query -W -f '${Status}\n' verdict | grep -qx 'install ok installed' || fail "verdict is not installed"

# The files and what postinst made.
for f in /usr/bin/verdict /lib/systemd/system/verdict.service /etc/verdict/verdict.conf \
	/usr/share/man/man1/verdict.1.gz; do
	[ -e "$R$f" ] || fail "$f is missing"
done
in_root dpkg-query -W -f '${Conffiles}\n' verdict | grep -q '/etc/verdict/verdict.conf' ||
	fail "verdict.conf is not a conffile"
grep -q '^Delegate=yes' "$R/lib/systemd/system/verdict.service" || fail "the unit does not delegate its cgroup"
# The unit as systemd reads it: systemd-analyze verify (from systemd, added to
# the root for this check only after the files above were checked) must accept
# every line without a word.
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends systemd \
	>>"$WORK/apt.log" 2>&1 || fail "apt-get install systemd failed"
out=$(in_root systemd-analyze verify --man=no /lib/systemd/system/verdict.service 2>&1) ||
	fail "systemd-analyze verify refused the unit: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
in_root man -w verdict >/dev/null 2>&1 || zcat "$R/usr/share/man/man1/verdict.1.gz" | grep -q '^\.SH FILES' ||
	fail "the man page is not readable"
in_root getent passwd verdict | grep -q ':/var/lib/verdict:' || fail "postinst made no verdict user"
# (stat in the root: the names are the root's)
st=$(in_root stat -c '%U:%G %a' /var/lib/verdict)
[ "$st" = "root:verdict 750" ] || fail "/var/lib/verdict is $st, not root:verdict 750"
st=$(in_root stat -c '%G %a' /etc/verdict/verdict.conf)
[ "$st" = "verdict 640" ] || fail "verdict.conf is $st, not verdict 640"
in_root /usr/bin/verdict --version >/dev/null || fail "the installed binary does not run"

# The admin and the problem, with the commands an administrator would use (they
# read /etc/verdict/verdict.conf, so they reach /var/lib/verdict).
echo 'admin-secret-pw' | in_root verdict user add admin --admin >/dev/null || fail "verdict user add failed"
in_root verdict problem import /tmp/exact-greeting >/dev/null || fail "verdict problem import failed"

# ExecStart, as the unit runs it: the conffile, the state dir as cwd, the
# verdict group, no_new_privs. The port is the only change (a free one).
exec_start=$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/verdict.service")
[ -n "$exec_start" ] || fail "the unit has no ExecStart"
rm -f "$R/var/lib/verdict/port"
"$SRC/tests/deploy/in-root.sh" "$R" /usr/bin/env VERDICT_LISTEN=127.0.0.1:0 VERDICT_PORT_FILE=/var/lib/verdict/port \
	setpriv --no-new-privs --regid verdict --clear-groups -- \
	sh -c 'cd /var/lib/verdict && umask 0027 && exec "$@"' sh $exec_start >"$WORK/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$R/var/lib/verdict/port" ] && break; sleep 0.1; done
[ -s "$R/var/lib/verdict/port" ] || { cat "$WORK/serve.log"; fail "the server did not start"; }
port=$(cat "$R/var/lib/verdict/port")
judge "http://127.0.0.1:$port" admin admin-secret-pw || { tail -n 40 "$WORK/serve.log"; exit 1; }
grep -q 'settings.*/etc/verdict/verdict.conf\|/etc/verdict/verdict.conf' "$WORK/serve.log" ||
	fail "the server did not say it read /etc/verdict/verdict.conf"
[ -s "$R/var/lib/verdict/verdict.db" ] || ls "$R/var/lib/verdict"/*.db >/dev/null 2>&1 ||
	fail "no database in /var/lib/verdict"

# $server is the server itself (every step of in-root.sh and setpriv execs).
kill -TERM $server
rc=0; wait $server || rc=$?
trap - EXIT
[ $rc = 0 ] || { tail -n 20 "$WORK/serve.log"; fail "the server exited $rc on SIGTERM"; }
grep -q 'shutting down' "$WORK/serve.log" || fail "the log shows no clean shutdown"
note "stopped cleanly"

# Purge: the package's files and the conffile go; the database stays.
in_root dpkg --purge verdict >"$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log"; fail "dpkg --purge failed"; }
for f in /usr/bin/verdict /lib/systemd/system/verdict.service /etc/verdict/verdict.conf; do
	[ ! -e "$R$f" ] || fail "$f is left after purge"
done
ls "$R"/var/lib/verdict/*.db >/dev/null 2>&1 || fail "purge removed the database"
note "purged; the database in /var/lib/verdict is kept"
