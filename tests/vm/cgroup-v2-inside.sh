#!/bin/sh
# Run by tests/vm/vm-run.sh inside the cgroup v2-only VM (as root, in the root
# cgroup): the sandbox tests as root, then as nobody in a cgroup delegated to
# nobody by hand (as systemd's Delegate=yes would), both required to use v2
# for memory, pids and CPU; then the judge end to end. BUILD is the build dir.
set -u
build=$1
echo "cgroup v2 VM: $(uname -r); controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
[ ! -e /sys/fs/cgroup/memory/tasks ] || { echo "not a cgroup v2-only host" >&2; exit 1; }
rc=0
# The cases that exercise the cgroups (limits, measures, processes); the
# compile and network cases' CPU limits are too tight for an emulated CPU.
SBX_ONLY=hello,many_runs,exit_code,segv,cpu_limit,memory_malloc_loop,memory_big_malloc,memory_under_limit
SBX_ONLY=$SBX_ONLY,stack_overflow,output_limit,threads_allowed,thread_bomb,fork_bomb,fork_bomb_compile_profile
SBX_ONLY=$SBX_ONLY,daemon_dies,disk_fill,python_hello,python_threads
export SBX_ONLY
# Page faults and compilers are about ten times slower on an emulated CPU:
# the default time limits of these cases are scaled (harmless under KVM).
export SBX_TIME_SCALE=${VM_TIME_SCALE:-5} VERDICT_TEST_TIME_SCALE=${VM_TIME_SCALE:-5} VERDICT_COMPILE_TIME=60
echo "== sandbox, as root"
out=/tmp/cgroup-v2-sandbox.log
SBX_EXPECT_CGROUP=2 "$build/tests/sandbox/test-sandbox" > $out 2>&1 || rc=1
cat $out
# Each program is born in its run's cgroup (CLONE_INTO_CGROUP), never falls back silently.
if grep -q "CLONE_INTO_CGROUP refused" $out; then echo "CLONE_INTO_CGROUP was refused" >&2; rc=1; fi
echo "== sandbox, as nobody in a delegated cgroup"
d=/sys/fs/cgroup/delegated
mkdir -p $d
chown 65534 $d $d/cgroup.procs $d/cgroup.subtree_control $d/cgroup.threads
echo $$ > $d/cgroup.procs
SBX_EXPECT_CGROUP_UNPRIV=2 "$build/tests/sandbox/test-sandbox" --unprivileged || rc=1
for p in $(cat $d/cgroup.procs $d/*/cgroup.procs 2>/dev/null); do echo "$p" > /sys/fs/cgroup/cgroup.procs 2>/dev/null; done
echo "== sandbox pairs (interactive), as root"
"$build/tests/sandbox/test-sandbox-pair" || rc=1
echo "== the judge, end to end"
"$build/tests/itest-judge" || rc=1
echo "cgroup v2 VM: done, rc=$rc"
exit $rc
