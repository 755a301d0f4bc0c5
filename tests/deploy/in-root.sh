#!/bin/sh
# in-root.sh ROOT CMD...: run CMD chrooted in ROOT with /proc, /sys (cgroups)
# and /dev, in a private mount namespace that goes away with it. ROOT is bind-
# mounted on itself so that the sandbox's pivot_root works inside. Every step
# execs, so the caller's pid is CMD's pid (a signal to it reaches CMD).
R=$1
shift
exec unshare --mount --propagation private -- /bin/sh -c '
	R=$1; shift
	mount --bind "$R" "$R" && mount -t proc proc "$R/proc" &&
	mount --rbind /sys "$R/sys" && mount --rbind /dev "$R/dev" &&
	exec chroot "$R" "$@"' sh "$R" "$@"
