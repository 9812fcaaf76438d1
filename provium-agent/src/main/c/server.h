/*
 * One request loop: channel 0 (the agent itself) or a worker's channel. The router hands it the
 * frames of its channel, whole and valid, over a socket; its replies go straight to the host.
 */
#ifndef PROVIUM_SERVER_H
#define PROVIUM_SERVER_H

#include "files.h"
#include "jobs.h"
#include "protocol.h"

#include <poll.h>

enum serve_end {
	SERVE_INPUT_ENDED,	/* end of input (not on a virtio port) */
	SERVE_SHUTDOWN,		/* SHUTDOWN was answered with OK */
	SERVE_FAILED		/* the connection cannot be read or written any more */
};

/* What a request handler returns. */
#define HANDLED 0
#define CONNECTION_FAILED (-1)
#define SHUTDOWN_REQUESTED 1

struct server {
	struct conn conn;	/* in_fd: frames from the router; out_fd: the host */
	uint16_t channel;
	int version_refused;	/* a HELLO with another version came: only HELLO and PING are served */
	unsigned char *frame;	/* the frame being served: FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD + 1 bytes */
	unsigned char *chunk;	/* DATA_MAX_CHUNK bytes for READ_FILE and DMESG */
	unsigned char *arena;	/* SYSCALL buffers, allocated on first use */
	struct upload upload;
	struct jobs jobs;
};

/* A server for `channel` reading frames from in_fd and writing to out_fd; NULL when out of memory. */
struct server *server_create(int in_fd, int out_fd, uint16_t channel);

/* Serves until the input ends or fails (or SHUTDOWN, on channel 0); then ends the server's jobs. */
int server_run(struct server *s);

void server_destroy(struct server *s);

/*
 * To poll while a request waits: it has an event once a worker's router closed its input (the worker
 * is being killed and waits should end). Channel 0's never has one.
 */
struct pollfd server_hangup(const struct server *s);

#endif
