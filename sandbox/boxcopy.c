/* A writable box of bounded size (limits.box_kb): the run's init mounts a
 * tmpfs of that size on /box, copies the host box's files in before the run
 * and copies the regular files and directories back after it, once every
 * process of the run is dead. Only plain files ever reach the host: a FIFO,
 * a symlink or a socket the run left in /box stays in the tmpfs, which dies
 * with the init's mount namespace. */
#include "sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#define COPY_DEPTH 16            /* directory levels copied (javac packages and the like) */

static char copy_buf[65536];

/* Opens a file the run may have planted: never a symlink, never blocking on
 * a FIFO, and only a regular file (else -EINVAL). */
static int open_regular(int dir, const char *name, int flags, mode_t mode)
{
	int fd = openat(dir, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int copy_file(int from, int to, const char *name, mode_t mode, const struct sandbox *sb)
{
	int in = open_regular(from, name, O_RDONLY, 0);
	if (in < 0)
		return in == -EINVAL || in == -ELOOP ? 0 : in; /* changed under us: not a file to copy */
	int out = open_regular(to, name, O_WRONLY | O_CREAT, mode);
	int rc = out < 0 ? out : 0;
	if (rc == 0 && (ftruncate(out, 0) < 0 || fchmod(out, mode) < 0 ||
			(sb->root && fchown(out, sb->uid, sb->gid) < 0)))
		rc = -errno;
	while (rc == 0) {
		ssize_t n = read(in, copy_buf, sizeof copy_buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : 0;
			break;
		}
		rc = sbx_write_all(out, copy_buf, (size_t)n);
	}
	close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* Copies the regular files and directories below from into to. */
static int copy_tree(int from, int to, const struct sandbox *sb, int depth)
{
	int dfd = openat(from, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return -e;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    fstatat(from, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		mode_t mode = st.st_mode & 0777;
		if (S_ISREG(st.st_mode)) {
			rc = copy_file(from, to, e->d_name, mode, sb);
		} else if (S_ISDIR(st.st_mode) && depth > 0) {
			if (mkdirat(to, e->d_name, mode | 0700) < 0 && errno != EEXIST) {
				rc = -errno;
				break;
			}
			int sub_from = openat(from, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int sub_to = openat(to, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_from < 0 || sub_to < 0 || (sb->root && fchown(sub_to, sb->uid, sb->gid) < 0))
				rc = -errno;
			else
				rc = copy_tree(sub_from, sub_to, sb, depth - 1);
			if (sub_from >= 0)
				close(sub_from);
			if (sub_to >= 0)
				close(sub_to);
		}
	}
	closedir(d);
	return rc;
}

int sbx_box_fill(const struct sandbox *sb, const struct req *rq, int host_box, char *err, size_t errlen)
{
	char opt[96];
	sbx_fmt(opt, sizeof opt, "size=%" PRIu64 "k,nr_inodes=8192,mode=0755", rq->lim.box_kb);
	if (mount("tmpfs", "/box", "tmpfs", MS_NOSUID | MS_NODEV, opt) < 0) {
		sbx_fmt(err, errlen, "cannot mount the box's tmpfs: %s", strerror(errno));
		return -errno;
	}
	int box = open("/box", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = box < 0 || (sb->root && fchown(box, sb->uid, sb->gid) < 0) ? -errno : 0;
	if (rc == 0)
		rc = copy_tree(host_box, box, sb, COPY_DEPTH);
	if (box >= 0)
		close(box);
	if (rc < 0)
		sbx_fmt(err, errlen, "cannot copy the box into its tmpfs (%" PRIu64 " KiB): %s", rq->lim.box_kb,
			strerror(-rc));
	return rc;
}

int sbx_box_return(const struct sandbox *sb, int host_box, bool *full, char *err, size_t errlen)
{
	struct statvfs vs;
	/* full: less than 64 KiB or no inode left (a write failed, or was about to) */
	*full = statvfs("/box", &vs) == 0 && ((uint64_t)vs.f_bavail * vs.f_frsize < 65536 || vs.f_favail == 0);
	int box = open("/box", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = box < 0 ? -errno : copy_tree(box, host_box, sb, COPY_DEPTH);
	if (box >= 0)
		close(box);
	if (rc < 0)
		sbx_fmt(err, errlen, "cannot copy the box's files out: %s", strerror(-rc));
	return rc;
}
