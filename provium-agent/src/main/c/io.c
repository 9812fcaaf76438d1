#include "io.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int wait_writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	while (poll(&p, 1, -1) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

int write_all_iov(int fd, struct iovec *iov, int count)
{
	while (count > 0) {
		ssize_t n = writev(fd, iov, count);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_writable(fd) == 0)
				continue;
			return -1;
		}
		while (count > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			count--;
		}
		if (count > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

int write_all(int fd, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return write_all_iov(fd, &iov, 1);
}

int set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int set_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0)
		return -1;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

static unsigned char internal_fds[FD_INTERNAL_MAX / 8];

static void mark_internal(int fd, int internal)
{
	unsigned char bit = (unsigned char)(1u << (fd % 8));

	if (fd < 0 || fd >= FD_INTERNAL_MAX)
		return;
	if (internal)
		__atomic_fetch_or(&internal_fds[fd / 8], bit, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&internal_fds[fd / 8], (unsigned char)~bit, __ATOMIC_SEQ_CST);
}

int fd_internal(int fd)
{
	int moved;

	if (fd < 0)
		return -1;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, FD_INTERNAL_BASE);
	if (moved < 0) {
		/* Out of high numbers: keep the low one rather than fail. */
		set_cloexec(fd);
		mark_internal(fd, 1);
		return fd;
	}
	close(fd);
	mark_internal(moved, 1);
	return moved;
}

void fd_close_internal(int fd)
{
	if (fd < 0)
		return;
	mark_internal(fd, 0);
	close(fd);
}

static int kept(int fd, const int *keep, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		if (keep[i] == fd)
			return 1;
	}
	return 0;
}

void fd_close_internal_except(const int *keep, int count)
{
	int fd;

	for (fd = 0; fd < FD_INTERNAL_MAX; fd++) {
		if (!kept(fd, keep, count) &&
		    (__atomic_load_n(&internal_fds[fd / 8], __ATOMIC_SEQ_CST) & (1u << (fd % 8))))
			fd_close_internal(fd);
	}
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int ms)
{
	struct timespec left = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&left, &left) < 0 && errno == EINTR)
		;
}

/* fds 0-2 may be closed when the initramfs has no /dev/console; later opens must not take them. */
int open_standard_fds(void)
{
	int fd;

	for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) < 0) {
			log_error("open /dev/null for fd %d: %s", fd, strerror(errno));
			return -1;
		}
	}
	return 0;
}
