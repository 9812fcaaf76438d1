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
/* Requests forwarded to one server and not answered yet that the router remembers. */
#define MAX_PENDING 256

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
	int input_closed;	/* the host's input ended: the router shut its end down for writing */
	/*
	 * The ids of the requests forwarded and not answered yet, oldest first, for a report if the server
	 * ends by itself: the server tells the router the id of every final reply it sends (4 bytes, read
	 * into `answer` until whole).
	 */
	uint32_t pending[MAX_PENDING];
	int pending_count;
	unsigned char answer[4];
	size_t answer_len;
	struct queue queue;
	/* Bytes of the frame at the head of the input already written to the server (see router.c). */
	size_t partial;
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

/* 1 when `number` was given to a worker (it may have ended since), 0 when it never was. */
int channels_given(uint16_t number);

/* Closes the router's end and frees the slot. */
void channels_free(struct channel *ch);

/* Without the lock: a socket pair (internal fds) whose [0] is the router's end, non-blocking. */
int channels_socketpair(int sv[2]);

#endif
