/*
 * SYSCALL and IOCTL: a raw system call in the serving thread, with its buffers copied into the
 * server's bounded arena, pointers to them put into arguments and patched into other buffers, and
 * the buffers asked for sent back after the call.
 */
#ifndef PROVIUM_SYSCALLS_H
#define PROVIUM_SYSCALLS_H

#include "request.h"

#define SYSCALL_MAX_ARGS 6
#define SYSCALL_MAX_BUFFERS 64
#define SYSCALL_MAX_PATCHES 256
#define SYSCALL_ALIGN 16
/* All buffers of one call, each rounded up to SYSCALL_ALIGN; the reply then fits in one frame. */
#define SYSCALL_ARENA_SIZE (FRAME_MAX_PAYLOAD - 4096)

/*
 * Serves SYSCALL and IOCTL; `arena` is the server's, allocated on first use (SYSCALL_ARENA_SIZE bytes).
 * A call interrupted by a CANCEL (-EINTR) is answered ERROR CANCELLED.
 */
int syscalls_request(unsigned char **arena, struct request *r);

#endif
