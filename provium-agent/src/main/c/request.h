/*
 * One request being served, as its handler sees it: the frame, where replies go, and whether the host
 * cancelled it (CANCEL, see router.c) or the worker serving it is being killed. Handlers get this and
 * their own state, nothing else of the server.
 */
#ifndef PROVIUM_REQUEST_H
#define PROVIUM_REQUEST_H

#include "protocol.h"

#include <poll.h>

/* Cancelled request ids a server remembers until it reaches them. */
#define CANCELS_KEPT 64

/*
 * The server's end of the router's cancel pipe: the router writes the id (u32) of each request of the
 * channel that the host cancelled, and interrupts the server's blocking system call with a signal.
 */
struct cancels {
	int fd;
	uint32_t id[CANCELS_KEPT];
	int count;
	unsigned char partial[4];
	size_t partial_len;
};

struct request {
	const struct frame *f;
	int out_fd;		/* the host */
	int router_fd;		/* the server's socket: the id of every final reply goes back on it */
	int hangup_fd;		/* a worker's socket, hung up when the worker is being killed; -1 on channel 0 */
	struct cancels *cancels;
};

/* What stopped a request early. */
#define STOP_NONE 0
#define STOP_CANCELLED 1
#define STOP_HANGUP 2

/* Descriptors a waiting handler adds to its poll: they have an event when the request must stop. */
#define REQUEST_POLL_FDS 2
void request_poll_fds(const struct request *r, struct pollfd p[REQUEST_POLL_FDS]);

/* STOP_HANGUP when the worker is being killed, STOP_CANCELLED when the host cancelled r, else STOP_NONE. */
int request_stopped(struct request *r);

/*
 * Replies to r (any reply type); a final reply is announced to the router. -1 when the host connection
 * failed (logged), else 0.
 */
int reply(const struct request *r, uint8_t type, uint8_t flags, const void *payload, size_t length);
int reply_iov(const struct request *r, uint8_t type, uint8_t flags, const struct iovec *payload, int count);
int reply_error(const struct request *r, uint16_t code, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An ERROR for another request of the same channel (an abandoned upload). */
int reply_error_to(const struct request *r, uint32_t id, uint16_t code, int err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* ERROR CANCELLED for r: `what` was cancelled by the host. */
int reply_cancelled(const struct request *r, const char *what);

/* Reads the ids the router sent so far (non-blocking). */
void cancels_drain(struct cancels *c);
/* 1 when `id` was cancelled (it stays remembered), else 0. */
int cancels_has(const struct cancels *c, uint32_t id);
/* Forgets `id`: its request has been answered. */
void cancels_forget(struct cancels *c, uint32_t id);

#endif
