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

/* Milliseconds on the monotonic clock. */
int64_t now_ms(void);

/* Sleeps without being cut short by signals. */
void sleep_ms(int ms);

#endif
