#include "router.h"

#include "agent.h"
#include "channels.h"
#include "children.h"
#include "io.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define QUEUE_MAX (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD)
#define HANGUP_RETRY_MS 100
#define ROUTED 0
#define BLOCKED 1
#define KEEP_GOING (-1)

static pthread_t agent_thread;
/* A channel whose queue must drain before more input is read, or -1. */
static int blocked = -1;
/* On a virtio port with no host connected: when to look at the port again. */
static int64_t hangup_until;

static void *serve_agent(void *arg)
{
	struct server *s = arg;
	int end = server_run(s);

	/* The router ended the input on purpose (SERVE_INPUT_ENDED) and waits for this thread. */
	if (end != SERVE_INPUT_ENDED)
		agent_finish(end);
	fd_close_internal(s->conn.in_fd);
	server_destroy(s);
	return NULL;
}

static int start_agent_server(const struct conn *c)
{
	struct channel *ch;
	struct server *s;
	int sv[2], err;

	if (channels_socketpair(sv) < 0)
		return -1;
	s = server_create(sv[1], c->out_fd, 0);
	if (s == NULL) {
		log_error("no memory for the agent's server");
		return -1;
	}
	channels_lock();
	ch = channels_add(1);
	ch->fd = sv[0];
	ch->kind = CHANNEL_AGENT;
	ch->pid = ch->tid = getpid();
	channels_unlock();
	err = pthread_create(&agent_thread, NULL, serve_agent, s);
	if (err != 0) {
		log_error("pthread_create for channel 0: %s", strerror(err));
		return -1;
	}
	return 0;
}

/* ---- queues toward the servers ---- */

static int queue_append(struct queue *q, const unsigned char *bytes, size_t n)
{
	size_t held = q->end - q->start;

	if (held + n > QUEUE_MAX)
		return BLOCKED;
	if (q->start > 0 && q->cap - q->end < n) {
		memmove(q->buf, q->buf + q->start, held);
		q->start = 0;
		q->end = held;
	}
	if (q->cap < held + n) {
		size_t cap = q->cap * 2 > held + n ? q->cap * 2 : held + n;
		unsigned char *bigger = realloc(q->buf, cap > QUEUE_MAX ? QUEUE_MAX : cap);

		if (bigger == NULL)
			return BLOCKED;	/* tried again once the queue has drained */
		q->buf = bigger;
		q->cap = cap > QUEUE_MAX ? QUEUE_MAX : cap;
	}
	memcpy(q->buf + q->end, bytes, n);
	q->end += n;
	return ROUTED;
}

/* Writes what the socket takes now; a server that is gone is noticed by its hang-up. */
static size_t write_some(int fd, const unsigned char *bytes, size_t n)
{
	ssize_t written = write(fd, bytes, n);

	if (written >= 0)
		return (size_t)written;
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		return n;
	return 0;
}

static void flush(struct channel *ch)
{
	struct queue *q = &ch->queue;

	q->start += write_some(ch->fd, q->buf + q->start, q->end - q->start);
	if (q->start == q->end) {
		free(q->buf);
		memset(q, 0, sizeof *q);
	}
}

static int forward(struct channel *ch, const unsigned char *bytes, size_t n)
{
	size_t written = 0;

	if (ch->queue.end == ch->queue.start)
		written = write_some(ch->fd, bytes, n);
	return written == n ? ROUTED : queue_append(&ch->queue, bytes + written, n - written);
}

/* ---- routing ---- */

static int is_request(uint8_t type)
{
	return type >= T_FIRST_REQUEST && type <= T_LAST_REQUEST && type != T_DATA_IN;
}

/* ROUTED, BLOCKED (give the frame back and wait), or -1 when the host connection failed. */
static int route(const struct conn *c, const struct frame *f)
{
	struct channel *ch;
	int result;

	channels_lock();
	ch = channels_find(f->channel);
	if (ch == NULL || ch->ending) {
		channels_unlock();
		return frame_send_error(c, f->channel, f->id, E_UNKNOWN_CHANNEL, 0,
					"no server on channel %u: no worker was spawned on it, or it has ended",
					f->channel);
	}
	result = forward(ch, f->payload - FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + (size_t)f->length);
	if (result == ROUTED && is_request(f->type)) {
		ch->has_request = 1;
		ch->last_request = f->id;
	}
	if (result == BLOCKED)
		blocked = f->channel;
	channels_unlock();
	return result;
}

/* Answers a read event that is not a frame. */
static int report(const struct conn *c, const struct frame *f, int event)
{
	if (event == READ_GARBAGE)
		return frame_send_error(c, 0, 0, E_BAD_FRAME, 0, "skipped %llu bytes that are not a valid frame",
					(unsigned long long)f->count);
	if (event == READ_TOO_LARGE)
		return frame_send_error(c, f->channel, f->id, E_TOO_LARGE, 0,
					"frame announces a %u-byte payload, over the %u-byte limit; header skipped",
					f->length, FRAME_MAX_PAYLOAD);
	if (f->input_ended)
		return frame_send_error(c, f->channel, f->id, E_TRUNCATED, 0,
					"frame truncated: %llu bytes arrived, then the input ended; dropped",
					(unsigned long long)f->count);
	return frame_send_error(c, f->channel, f->id, E_TRUNCATED, 0,
				"frame truncated: %llu bytes arrived, then %d ms of silence; dropped",
				(unsigned long long)f->count, FRAME_SILENCE_MS);
}

/* Forwards or answers every frame read so far; -1 when the host connection failed. */
static int drain_input(const struct conn *c)
{
	struct frame f;
	int event;

	while (blocked < 0 && (event = rx_next(c, &f)) != READ_NEED_MORE) {
		int result = event == READ_FRAME ? route(c, &f) : report(c, &f, event);

		if (result == BLOCKED)
			rx_unread(&f);
		else if (result < 0)
			return -1;
	}
	return 0;
}

/* ---- servers that end ---- */

struct ended {
	uint16_t channel;
	int has_request;
	uint32_t request;
};

/* A worker ended by itself: its last request, if any, gets an answer here. Channel 0 is fatal. */
static int channel_ended(const struct conn *c, const struct ended *e)
{
	if (e->channel == 0) {
		log_error("the agent's server thread ended");
		return -1;
	}
	if (!e->has_request)
		return 0;
	return frame_send_error(c, e->channel, e->request, E_UNKNOWN_CHANNEL, 0,
				"the worker on channel %u ended while serving request %u", e->channel, e->request);
}

/* ---- the loop ---- */

struct poll_set {
	struct pollfd p[2 + MAX_CHANNELS];
	uint16_t channel[2 + MAX_CHANNELS];
	int n;
	int port;		/* index of the host input, or -1 */
	int children;		/* index of the SIGCHLD signalfd */
};

/* Forgets killed workers; a blocked channel that is gone blocks no more. */
static void forget_ended(void)
{
	int i;

	channels_lock();
	for (i = 0; i < MAX_CHANNELS; i++) {
		struct channel *ch = channels_slot(i);

		if (ch->used && ch->ending)
			channels_free(ch);
	}
	if (blocked >= 0 && channels_find((uint16_t)blocked) == NULL) {
		blocked = -1;
		rx_resume();
	}
	channels_unlock();
}

static int build_poll_set(const struct conn *c, struct poll_set *set)
{
	int64_t now = now_ms();
	int timeout = -1, i;

	forget_ended();
	set->n = 0;
	set->port = -1;
	if (blocked < 0 && now >= hangup_until) {
		set->port = set->n;
		set->p[set->n++] = (struct pollfd){ .fd = c->in_fd, .events = POLLIN };
		timeout = rx_timeout();
	} else if (blocked < 0) {
		timeout = (int)(hangup_until - now);
	}
	set->children = set->n;
	set->p[set->n++] = (struct pollfd){ .fd = children_fd(), .events = POLLIN };
	channels_lock();
	for (i = 0; i < MAX_CHANNELS; i++) {
		struct channel *ch = channels_slot(i);

		if (!ch->used)
			continue;
		set->channel[set->n] = ch->number;
		set->p[set->n++] = (struct pollfd){
			.fd = ch->fd,
			.events = POLLRDHUP | (ch->queue.end > ch->queue.start ? POLLOUT : 0),
		};
	}
	channels_unlock();
	return timeout;
}

/* Flushes queues that can take more and forgets servers that hung up; -1 when channel 0 did. */
static int serve_channels(const struct conn *c, const struct poll_set *set)
{
	int i;

	for (i = 0; i < set->n; i++) {
		struct ended e = { 0 };
		struct channel *ch;
		int gone = 0;

		if (i == set->port || i == set->children || set->p[i].revents == 0)
			continue;
		channels_lock();
		ch = channels_find(set->channel[i]);
		if (ch != NULL && ch->fd == set->p[i].fd) {
			if (set->p[i].revents & POLLOUT)
				flush(ch);
			if (set->p[i].revents & (POLLRDHUP | POLLHUP | POLLERR | POLLIN)) {
				gone = !ch->ending;
				e = (struct ended){ ch->number, ch->has_request, ch->last_request };
				channels_free(ch);
			}
			if (blocked == set->channel[i] && (ch->fd < 0 || ch->queue.end == ch->queue.start)) {
				blocked = -1;
				rx_resume();
			}
		}
		channels_unlock();
		if (gone && channel_ended(c, &e) < 0)
			return -1;
	}
	return 0;
}

/* SERVE_INPUT_ENDED or SERVE_FAILED when the input ended or failed, else KEEP_GOING. */
static int read_input(const struct conn *c, const struct poll_set *set)
{
	struct frame f;
	short revents = set->port >= 0 ? set->p[set->port].revents : 0;
	int event;

	if (revents == 0)
		return KEEP_GOING;
	if (c->port && (revents & (POLLIN | POLLERR)) == 0) {
		/* No host on the other end of the port: wait for one to connect. */
		hangup_until = now_ms() + HANGUP_RETRY_MS;
		return KEEP_GOING;
	}
	event = rx_fill(c, &f);
	if (event == READ_END)
		return SERVE_INPUT_ENDED;
	if (event == READ_FAILED)
		return SERVE_FAILED;
	if (event == READ_HANGUP)
		hangup_until = now_ms() + HANGUP_RETRY_MS;
	else if (event != READ_NEED_MORE && report(c, &f, event) < 0)
		return SERVE_FAILED;
	return KEEP_GOING;
}

/* The host is done: channel 0 serves what it was sent, then the router returns. */
static int end_input(void)
{
	int i;

	channels_lock();
	for (i = 0; i < MAX_CHANNELS; i++) {
		struct channel *ch = channels_slot(i);

		if (!ch->used)
			continue;
		while (ch->queue.end > ch->queue.start) {
			struct pollfd p = { .fd = ch->fd, .events = POLLOUT };

			if (poll(&p, 1, 1000) <= 0 || (p.revents & (POLLHUP | POLLERR)))
				break;
			flush(ch);
		}
		shutdown(ch->fd, SHUT_WR);
	}
	channels_unlock();
	pthread_join(agent_thread, NULL);
	return SERVE_INPUT_ENDED;
}

int router_run(const struct conn *c)
{
	struct poll_set set;

	if (start_agent_server(c) < 0)
		return SERVE_FAILED;
	for (;;) {
		int timeout = build_poll_set(c, &set);
		int end;

		if (poll(set.p, (nfds_t)set.n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			return SERVE_FAILED;
		}
		if (set.p[set.children].revents & POLLIN)
			children_reap();
		if (serve_channels(c, &set) < 0)
			return SERVE_FAILED;
		end = read_input(c, &set);
		if (end == SERVE_INPUT_ENDED)
			return end_input();
		if (end != KEEP_GOING)
			return end;
		if (drain_input(c) < 0)
			return SERVE_FAILED;
		if (set.port >= 0 && rx_timeout() == 0) {
			struct frame f;
			int event = rx_expire(&f);

			if (event != READ_NEED_MORE && report(c, &f, event) < 0)
				return SERVE_FAILED;
		}
	}
}
