/*
 * One request loop: channel 0 (the agent itself) or a worker's channel. The router hands it the
 * frames of its channel, whole and valid, over a socket, and the ids of cancelled requests over a
 * pipe; its replies go straight to the host. It dispatches each request to its handler with a
 * struct request and that handler's own state.
 */
#ifndef PROVIUM_SERVER_H
#define PROVIUM_SERVER_H

#include <stdint.h>

enum serve_end {
	SERVE_INPUT_ENDED,	/* end of input (not on a virtio port) */
	SERVE_SHUTDOWN,		/* SHUTDOWN was answered with OK */
	SERVE_FAILED		/* the connection cannot be read or written any more */
};

struct server;

/*
 * A server for `channel` reading frames from in_fd (its socket to the router), cancelled ids from
 * cancel_fd, and writing to out_fd; NULL when out of memory. It does not own the descriptors.
 */
struct server *server_create(int in_fd, int cancel_fd, int out_fd, uint16_t channel);

/* Serves until the input ends or fails (or SHUTDOWN, on channel 0); then ends the server's jobs. */
int server_run(struct server *s);

void server_destroy(struct server *s);

#endif
