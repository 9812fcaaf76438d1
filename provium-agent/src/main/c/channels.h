/*
 * The channels of the one host connection: 0 is the agent's own server thread, the others are
 * workers. The router forwards each channel's frames to its server over a socket; SPAWN and
 * KILL_WORKER (served on channel 0) add and end workers. One mutex guards the table.
 */
#ifndef PROVIUM_CHANNELS_H
#define PROVIUM_CHANNELS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_WORKERS 32
#define MAX_CHANNELS (1 + MAX_WORKERS)

enum channel_kind { CHANNEL_AGENT, CHANNEL_FORK, CHANNEL_THREAD };

/* Bytes for a server that its socket could not take yet: at most one largest frame. */
struct queue {
	unsigned char *buf;
	size_t start, end, cap;
};

struct channel {
	int used;
	uint16_t number;
	int fd;			/* the router's end of the server's socket */
	enum channel_kind kind;
	pid_t pid;		/* the worker's process */
	pid_t tid;		/* the worker's thread (its pid for a forked worker) */
	pthread_t thread;	/* a thread worker */
	int ending;		/* being killed: the router closes it and forgets the channel */
	int has_request;	/* the last request the router forwarded, for a report if the server dies */
	uint32_t last_request;
	struct queue queue;
};

void channels_lock(void);
void channels_unlock(void);

/* The following need the lock. */

/* The channel with that number, NULL when there is none. */
struct channel *channels_find(uint16_t number);

/* Slot i of the table (0 <= i < MAX_CHANNELS), used or not. */
struct channel *channels_slot(int i);

/* A free slot with an unused number (the agent's: 0), NULL when the table is full. */
struct channel *channels_add(int agent);

/* Closes the router's end and frees the slot. */
void channels_free(struct channel *ch);

/* Without the lock: a socket pair (internal fds) whose [0] is the router's end, non-blocking. */
int channels_socketpair(int sv[2]);

#endif
