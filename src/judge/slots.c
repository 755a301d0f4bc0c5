/* Slot locks in /tmp: whoever holds the flock of a slot's file owns the slot. */
#include "slots.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int slots_take(int count, int *slots, int *fds)
{
	int taken = 0;
	for (int s = 0; s < SLOTS_MAX && taken < count; s++) {
		char path[64];
		snprintf(path, sizeof path, "/tmp/verdict-slot-%d.lock", s);
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
		if (fd < 0)
			continue; /* someone else's file we may not open: not ours to use */
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			close(fd);
			continue;
		}
		/* Readable by other users' verdicts, whatever our umask. */
		struct stat st;
		if (fstat(fd, &st) == 0 && st.st_uid == geteuid())
			fchmod(fd, 0666);
		slots[taken] = s;
		fds[taken++] = fd;
	}
	if (taken == count)
		return 0;
	slots_give(fds, taken);
	return -EAGAIN;
}

void slots_give(const int *fds, int count)
{
	for (int i = 0; i < count; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}
