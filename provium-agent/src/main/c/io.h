/* Small system-call helpers that retry on EINTR and wait out EAGAIN. */
#ifndef PROVIUM_IO_H
#define PROVIUM_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Writes every byte of the vectors; -1 with errno set on failure. May modify iov. */
int write_all_iov(int fd, struct iovec *iov, int count);
int write_all(int fd, const void *buf, size_t len);

int set_nonblocking(int fd);
int set_cloexec(int fd);

/* Opens /dev/null on whichever of fds 0-2 is closed, so later opens cannot take them. */
int open_standard_fds(void);

/*
 * The agent's own descriptors (sockets to workers, pidfds, job spools) live at FD_INTERNAL_BASE and
 * above, away from the low numbers a test's system calls open and close, and are remembered so that a
 * forked worker can close the ones it must not hold.
 */
#define FD_INTERNAL_BASE 256
#define FD_INTERNAL_MAX 1024

/* Moves fd to FD_INTERNAL_BASE or above (close-on-exec) and remembers it; the new fd, or -1. */
int fd_internal(int fd);

/* Closes an fd made by fd_internal. */
void fd_close_internal(int fd);

/* In a forked worker: closes every internal fd but the `count` in `keep`. */
void fd_close_internal_except(const int *keep, int count);

/* Milliseconds on the monotonic clock. */
int64_t now_ms(void);

/* Sleeps without being cut short by signals. */
void sleep_ms(int ms);

#endif
