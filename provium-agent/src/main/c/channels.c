#include "channels.h"

#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Room for a few frames in flight to a busy server before the router queues them itself. */
#define SOCKET_BUFFER (4 * 1024 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct channel table[MAX_CHANNELS];
static uint16_t last_number;
static int wrapped;		/* every number has been given once */

void channels_lock(void)
{
	pthread_mutex_lock(&lock);
}

void channels_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

struct channel *channels_find(uint16_t number)
{
	int i;

	for (i = 0; i < MAX_CHANNELS; i++) {
		if (table[i].used && table[i].number == number)
			return &table[i];
	}
	return NULL;
}

struct channel *channels_slot(int i)
{
	return &table[i];
}

/* The next number after the last one given out, skipping 0 and the ones in use. */
static uint16_t next_number(void)
{
	do {
		if (++last_number == 0)
			wrapped = 1;
	} while (last_number == 0 || channels_find(last_number) != NULL);
	return last_number;
}

struct channel *channels_add(int agent)
{
	int i;

	for (i = 0; i < MAX_CHANNELS; i++) {
		if (!table[i].used) {
			memset(&table[i], 0, sizeof table[i]);
			table[i].used = 1;
			table[i].fd = -1;
			table[i].cancel_fd = -1;
			table[i].number = agent ? 0 : next_number();
			return &table[i];
		}
	}
	return NULL;
}

int channels_given(uint16_t number)
{
	return number != 0 && (wrapped || number <= last_number);
}

void channels_free(struct channel *ch)
{
	fd_close_internal(ch->fd);
	fd_close_internal(ch->cancel_fd);
	free(ch->queue.buf);
	memset(ch, 0, sizeof *ch);
	ch->fd = -1;
	ch->cancel_fd = -1;
}

static int open_socketpair(int sv[2])
{
	int size = SOCKET_BUFFER;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_error("socketpair: %s", strerror(errno));
		return -1;
	}
	sv[0] = fd_internal(sv[0]);
	sv[1] = fd_internal(sv[1]);
	if (sv[0] < 0 || sv[1] < 0 || set_nonblocking(sv[0]) < 0) {
		log_error("setting up a server's socket: %s", strerror(errno));
		fd_close_internal(sv[0]);
		fd_close_internal(sv[1]);
		return -1;
	}
	/* Larger than the default when allowed (root may exceed wmem_max); the default works too. */
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	return 0;
}

/* The pipe's [0] is the read end: swapped so that [0] is the router's (write) end, as for sockets. */
static int open_cancel_pipe(int cancel[2])
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_error("pipe2 for a server's cancels: %s", strerror(errno));
		return -1;
	}
	cancel[0] = fd_internal(p[1]);
	cancel[1] = fd_internal(p[0]);
	if (cancel[0] < 0 || cancel[1] < 0) {
		log_error("setting up a server's cancel pipe: %s", strerror(errno));
		fd_close_internal(cancel[0]);
		fd_close_internal(cancel[1]);
		return -1;
	}
	return 0;
}

int channels_open(int sv[2], int cancel[2])
{
	if (open_socketpair(sv) < 0)
		return -1;
	if (open_cancel_pipe(cancel) < 0) {
		fd_close_internal(sv[0]);
		fd_close_internal(sv[1]);
		return -1;
	}
	return 0;
}

void channels_close_server_ends(const int sv[2], const int cancel[2])
{
	fd_close_internal(sv[1]);
	fd_close_internal(cancel[1]);
}
