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

struct keeper;

#define MAX_WORKERS 32
#define MAX_CHANNELS (1 + MAX_WORKERS)
/* Requests forwarded to one server and not answered yet that the router remembers. */
#define MAX_PENDING 256
/* Cancelled requests of one channel that the router keeps interrupting until they are answered. */
#define MAX_CANCELLING 16

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
	struct keeper *keeper;	/* channel 0 and thread workers: their server's thread (keeper.h) */
	int cancel_fd;		/* the router's end of the cancel pipe: ids of cancelled requests */
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
	/* Cancelled requests not answered yet; while the oldest pending one is among them, it is interrupted. */
	uint32_t cancelling[MAX_CANCELLING];
	int cancelling_count;
	int64_t next_interrupt;
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

/* Closes the router's ends and frees the slot (a keeper stays the owner's to release). */
void channels_free(struct channel *ch);

/*
 * Without the lock: a server's connection to the router, internal fds, [0] the router's ends: a socket
 * pair (frames to the server, ids of final replies back) and a non-blocking cancel pipe.
 */
int channels_open(int sv[2], int cancel[2]);

/* Closes what channels_open opened for the server ([1]). */
void channels_close_server_ends(const int sv[2], const int cancel[2]);

#endif
