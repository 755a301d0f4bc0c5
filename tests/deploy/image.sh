#!/usr/bin/env bash
# The OCI image (packaging/build-image.sh) under podman: verdict serve is pid 1
# in the container; an admin and a problem are added with podman exec, a C
# submission is judged AC (a wrong one WA) over HTTP from the host through the
# published port; podman stop must end it with exit 0 and a clean shutdown in
# the log. Prints the time from podman run to /healthz 200.
. "$(dirname "$0")/lib.sh"
need_root_tools mmdebstrap dpkg-buildpackage podman curl python3
# crun refuses this host's hybrid cgroup layout; runc takes it (PODMAN_RUNTIME).
runtime=${PODMAN_RUNTIME:-$(command -v runc || true)}
pod() { podman ${runtime:+--runtime "$runtime"} "$@"; }
deb=$(deb_file)
tag=localhost/verdict:deploy-test
t0=$SECONDS
"$SRC/packaging/build-image.sh" "$deb" "$tag" >"$WORK/image.log" 2>&1 || { tail -n 30 "$WORK/image.log"; fail "build-image.sh failed"; }
note "image built in $((SECONDS - t0)) s, $(pod image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
[ "$(pod image inspect --format '{{json .Config.Entrypoint}}' "$tag")" = \
	'["/usr/bin/verdict","serve","--listen","0.0.0.0:8100","--data","/var/lib/verdict"]' ] ||
	fail "the image's entry point is not verdict serve"

# Can this host run containers at all? (Not the image's fault when it cannot.)
probe=$(pod run --rm --privileged --ulimit nofile=16384:16384 --ulimit nproc=8192:8192 --entrypoint /bin/true \
	"$tag" 2>&1) || skip "podman cannot run a container here: $probe"

name=verdict-deploy-test-$$
trap 'pod rm -f "$name" >/dev/null 2>&1 || true' EXIT
# Namespaces, seccomp and cgroups for the sandbox: --privileged. The rlimits
# are set explicitly, below this host's hard limits (podman's defaults exceed them).
start=$(date +%s%N)
pod run -d --name "$name" --privileged --ulimit nofile=16384:16384 --ulimit nproc=8192:8192 \
	-p 127.0.0.1::8100 "$tag" >/dev/null || fail "podman run failed"
port=$(pod port "$name" 8100 | head -n 1 | sed 's/.*://')
[ -n "$port" ] || fail "no published port"
up=""
for _ in $(seq 1 300); do
	if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then up=1; break; fi
	sleep 0.05
done
[ -n "$up" ] || { pod logs "$name" | tail -n 20; fail "/healthz did not answer 200"; }
note "podman run to /healthz 200: $(( ($(date +%s%N) - start) / 1000000 )) ms"
[ "$(pod top "$name" pid args | awk '$1 == 1 {print $2}')" = /usr/bin/verdict ] ||
	fail "verdict is not pid 1 in the container"

pod cp "$SRC/tests/packages/exact-greeting" "$name:/tmp/exact-greeting"
echo admin-secret-pw | pod exec -i "$name" verdict user add admin --admin >/dev/null || fail "user add failed"
pod exec "$name" verdict problem import /tmp/exact-greeting >/dev/null || fail "problem import failed"
judge "http://127.0.0.1:$port" admin admin-secret-pw || { pod logs "$name" | tail -n 30; exit 1; }
line=$(pod logs "$name" 2>&1 | grep -m 1 'judge: protection (worker ' || true)
case $line in *"pid 1;"*"active: "*cgroup_memory*) ;; *) fail "the server is not pid 1 with cgroups: $line" ;; esac
case $line in *MISSING*) fail "a protection is missing in the container: $line" ;; esac

pod stop -t 20 "$name" >/dev/null || fail "podman stop failed"
rc=$(pod inspect --format '{{.State.ExitCode}}' "$name")
pod logs "$name" >"$WORK/serve.log" 2>&1
[ "$rc" = 0 ] || { tail -n 20 "$WORK/serve.log"; fail "the container exited $rc"; }
grep -q 'received SIGTERM, shutting down' "$WORK/serve.log" || fail "the log shows no clean shutdown"
note "stopped cleanly (exit 0)"
pod rm "$name" >/dev/null
trap - EXIT
