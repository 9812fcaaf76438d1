#include "router.h"

#include "channels.h"
#include "children.h"
#include "io.h"
#include "keeper.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define QUEUE_MAX (FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD)
#define HANGUP_RETRY_MS 100
/* How often a cancelled request that is still being served is interrupted again. */
#define INTERRUPT_RETRY_MS 100
/* CANCEL_STATUS states. */
#define CANCEL_REQUESTED 0
#define CANCEL_NOT_PENDING 1
#define ROUTED 0
#define BLOCKED 1
#define KEEP_GOING (-1)

/* A channel whose queue must drain before more input is read, or -1. */
static int blocked = -1;
/* On a virtio port with no host connected: when to look at the port again. */
static int64_t hangup_until;
/* The host's input ended: the servers get to the end of what they were sent, then the router returns. */
static int input_ended;

/* Channel 0: the agent's own server, in a thread watched by a keeper (keeper.h). */
static int start_agent_server(const struct conn *c)
{
	struct channel *ch;
	struct server *s;
	struct keeper *k;
	int sv[2], cancel[2];
	pid_t tid;

	if (channels_open(sv, cancel) < 0)
		return -1;
	s = server_create(sv[1], cancel[1], c->out_fd, 0);
	if (s == NULL) {
		log_error("no memory for the agent's server");
		return -1;
	}
	k = keeper_start(s, sv[1], cancel[1], &tid);
	if (k == NULL) {
		server_destroy(s);
		return -1;
	}
	channels_lock();
	ch = channels_add(1);
	ch->fd = sv[0];
	ch->cancel_fd = cancel[0];
	ch->kind = CHANNEL_AGENT;
	ch->keeper = k;
	ch->pid = getpid();
	ch->tid = tid;
	channels_unlock();
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
			return BLOCKED;	/* the caller keeps the rest and tries again */
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

	if (q->start == q->end)
		return;
	q->start += write_some(ch->fd, q->buf + q->start, q->end - q->start);
	if (q->start == q->end) {
		free(q->buf);
		memset(q, 0, sizeof *q);
	}
}

/*
 * Writes what the server's socket takes and queues the rest. When the queue cannot take the rest (it
 * holds a frame already, or memory is short), the frame stays at the head of the input with its first
 * ch->partial bytes written: BLOCKED, and once the socket takes more the router goes on from there.
 */
static int forward(struct channel *ch, const unsigned char *bytes, size_t n)
{
	size_t written = ch->partial;

	if (ch->queue.end == ch->queue.start)
		written += write_some(ch->fd, bytes + written, n - written);
	if (written < n && queue_append(&ch->queue, bytes + written, n - written) == BLOCKED) {
		ch->partial = written;
		return BLOCKED;
	}
	ch->partial = 0;
	return ROUTED;
}

/* ---- routing ---- */

/* Interrupts the system call the channel's server is blocked in (a cancelled request). */
static void interrupt_server(const struct channel *ch)
{
	if (ch->keeper != NULL)
		keeper_interrupt(ch->keeper);
	else if (kill(ch->pid, INTERRUPT_SIGNAL) < 0 && errno != ESRCH)
		log_error("kill %d: %s", (int)ch->pid, strerror(errno));
}

static int is_pending(const struct channel *ch, uint32_t id)
{
	int i;

	for (i = 0; i < ch->pending_count; i++) {
		if (ch->pending[i] == id)
			return 1;
	}
	return 0;
}

static int is_cancelling(const struct channel *ch, uint32_t id)
{
	int i;

	for (i = 0; i < ch->cancelling_count; i++) {
		if (ch->cancelling[i] == id)
			return 1;
	}
	return 0;
}

/*
 * Tells the server that request `id` is cancelled: the id on its cancel pipe, which its waits poll and
 * which it reads before it serves each request. 0, or -1 when the pipe cannot take it (logged).
 */
static int tell_cancelled(struct channel *ch, uint32_t id)
{
	unsigned char bytes[4] = { (unsigned char)id, (unsigned char)(id >> 8), (unsigned char)(id >> 16),
				   (unsigned char)(id >> 24) };

	if (write(ch->cancel_fd, bytes, sizeof bytes) != (ssize_t)sizeof bytes) {
		log_error("cancel request %u on channel %u: the server's cancel pipe is full or gone", id, ch->number);
		return -1;
	}
	if (!is_cancelling(ch, id) && ch->cancelling_count < MAX_CANCELLING)
		ch->cancelling[ch->cancelling_count++] = id;
	ch->next_interrupt = 0;	/* at once, if it is being served */
	return 0;
}

static int read_answers(struct channel *ch);

/* How long CANCEL waits for the note of a server that has just answered the request. */
#define ANSWER_NOTE_WAIT_MS 200

/*
 * CANCEL, served here rather than by a server, which may be the one stuck in the request: CANCEL_STATUS
 * says whether the request was in flight (its own final reply follows) or not (answered already, or
 * never sent). -1 when the host connection failed.
 */
static int cancel(const struct conn *c, const struct frame *f)
{
	unsigned char state;
	struct channel *ch;
	struct decoder d;
	uint16_t channel;
	uint32_t id;

	dec_init(&d, f);
	channel = dec_u16(&d);
	id = dec_u32(&d);
	if (dec_finish(&d) != 0)
		return frame_send_error(c->out_fd, f->channel, f->id, E_MALFORMED, 0,
					"CANCEL payload must be u16 channel then u32 request id (%u bytes given)", f->length);
	state = CANCEL_NOT_PENDING;
	channels_lock();
	ch = channels_find(channel);
	/*
	 * The server sends its final reply, then notes it to the router: a host that saw the reply and cancels
	 * at once may be ahead of that note. Read the notes, and give one in the making a moment to arrive.
	 */
	if (ch != NULL && !ch->ending && id != 0 && is_pending(ch, id)) {
		struct pollfd note = { .fd = ch->fd, .events = POLLIN, .revents = 0 };

		(void)read_answers(ch);
		if (is_pending(ch, id) && poll(&note, 1, ANSWER_NOTE_WAIT_MS) > 0)
			(void)read_answers(ch);
	}
	if (ch != NULL && !ch->ending && id != 0 && is_pending(ch, id) && tell_cancelled(ch, id) == 0)
		state = CANCEL_REQUESTED;
	channels_unlock();
	return frame_send(c->out_fd, T_CANCEL_STATUS, 0, f->channel, f->id, &state, 1);
}

/* The server answers every frame but DATA with exactly one final reply (an ERROR for unknown types). */
static int is_request(uint8_t type)
{
	return type != T_DATA_IN;
}

/* ROUTED, BLOCKED (give the frame back and wait), or -1 when the host connection failed. */
static int route(const struct conn *c, const struct frame *f)
{
	struct channel *ch;
	int result;

	if (f->type == T_CANCEL)
		return cancel(c, f) < 0 ? -1 : ROUTED;
	channels_lock();
	ch = channels_find(f->channel);
	if (ch == NULL || ch->ending) {
		channels_unlock();
		return frame_send_error(c->out_fd, f->channel, f->id, E_UNKNOWN_CHANNEL, 0,
					"no server on channel %u: no worker was spawned on it, or it has ended",
					f->channel);
	}
	result = forward(ch, f->payload - FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + (size_t)f->length);
	/* Beyond MAX_PENDING (a host that does not wait for answers) requests are not remembered. */
	if (result == ROUTED && is_request(f->type) && ch->pending_count < MAX_PENDING)
		ch->pending[ch->pending_count++] = f->id;
	if (result == BLOCKED)
		blocked = f->channel;
	channels_unlock();
	return result;
}

/* Answers a read event that is not a frame. */
static int report(const struct conn *c, const struct frame *f, int event)
{
	if (event == READ_GARBAGE)
		return frame_send_error(c->out_fd, 0, 0, E_BAD_FRAME, 0, "skipped %llu bytes that are not a valid frame",
					(unsigned long long)f->count);
	if (event == READ_TOO_LARGE)
		return frame_send_error(c->out_fd, f->channel, f->id, E_TOO_LARGE, 0,
					"frame announces a %u-byte payload, over the %u-byte limit; header skipped",
					f->length, FRAME_MAX_PAYLOAD);
	if (f->input_ended)
		return frame_send_error(c->out_fd, f->channel, f->id, E_TRUNCATED, 0,
					"frame truncated: %llu bytes arrived, then the input ended; dropped",
					(unsigned long long)f->count);
	return frame_send_error(c->out_fd, f->channel, f->id, E_TRUNCATED, 0,
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

/* ---- servers that answer and end ---- */

/* The server sent the final reply to request `id`: it is not pending (nor being cancelled) any more. */
static void answered(struct channel *ch, uint32_t id)
{
	int i;

	for (i = 0; i < ch->cancelling_count; i++) {
		if (ch->cancelling[i] == id) {
			ch->cancelling[i] = ch->cancelling[--ch->cancelling_count];
			break;
		}
	}

	for (i = 0; i < ch->pending_count; i++) {
		if (ch->pending[i] == id) {
			memmove(&ch->pending[i], &ch->pending[i + 1],
				(size_t)(ch->pending_count - i - 1) * sizeof ch->pending[0]);
			ch->pending_count--;
			return;
		}
	}
}

/* Reads the ids of the final replies the server sent (u32 each); 1 once the server has hung up. */
static int read_answers(struct channel *ch)
{
	unsigned char buf[256];

	for (;;) {
		ssize_t n = read(ch->fd, buf, sizeof buf), i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return 1;
		for (i = 0; i < n; i++) {
			ch->answer[ch->answer_len++] = buf[i];
			if (ch->answer_len < sizeof ch->answer)
				continue;
			answered(ch, (uint32_t)ch->answer[0] | (uint32_t)ch->answer[1] << 8 |
					     (uint32_t)ch->answer[2] << 16 | (uint32_t)ch->answer[3] << 24);
			ch->answer_len = 0;
		}
	}
}

/* A server that hung up without being killed, and the requests it had not answered. */
struct ended {
	uint16_t channel;
	enum channel_kind kind;
	pid_t pid;
	int end;		/* a thread-served channel: keeper_end */
	int pending_count;
	uint32_t pending[MAX_PENDING];
};

/* Answers every request the server of a channel that ended had not answered; -1 when the host is gone. */
static int answer_pending(const struct conn *c, const struct ended *e, const char *who, const char *then)
{
	int i;

	for (i = 0; i < e->pending_count; i++) {
		if (frame_send_error(c->out_fd, e->channel, e->pending[i], E_UNKNOWN_CHANNEL, 0,
				     "%s on channel %u ended before it answered request %u%s", who, e->channel,
				     e->pending[i], then) < 0)
			return -1;
	}
	return 0;
}

/*
 * Channel 0's server ended: the router ends with it (KEEP_GOING while the input ended and channel 0
 * served it all is not a case: that is the normal end). Its thread ending by itself (a SYSCALL exit)
 * is fatal for the agent: without channel 0 nothing can spawn, kill or shut down any more.
 */
static int agent_server_ended(const struct conn *c, const struct ended *e)
{
	if (e->end == KEEPER_THREAD_EXITED) {
		log_error("the agent's server thread (channel 0) ended by itself; the agent ends");
		if (!input_ended)
			answer_pending(c, e, "the agent's server thread", ": the agent ends");
		return SERVE_FAILED;
	}
	if (e->end == SERVE_INPUT_ENDED && !input_ended) {
		log_error("the agent's server (channel 0) lost its input; the agent ends");
		return SERVE_FAILED;
	}
	return e->end;
}

/*
 * A server ended by itself (a worker's process crashed, or a SYSCALL ended its process or thread):
 * nobody else waits for it, so the router lets it go and answers every request it had not answered.
 * Returns KEEP_GOING, or how the router ends when channel 0's server ended.
 */
static int channel_ended(const struct conn *c, const struct ended *e)
{
	if (e->channel == 0)
		return agent_server_ended(c, e);
	if (e->kind == CHANNEL_FORK)
		children_collect(e->pid);
	/* After the end of the input nobody waits for answers (and the host may be gone). */
	if (!input_ended && answer_pending(c, e, "the worker", "") < 0)
		return SERVE_FAILED;
	return KEEP_GOING;
}

/*
 * Interrupts, again every INTERRUPT_RETRY_MS, the server of each channel whose oldest unanswered
 * request (the one it serves) was cancelled: a signal that came just before a blocking call began is
 * lost, the next one is not. Returns the time until the next round, -1 for none.
 */
static int interrupt_cancelled(void)
{
	int64_t now = now_ms(), next = -1;
	int i;

	channels_lock();
	for (i = 0; i < MAX_CHANNELS; i++) {
		struct channel *ch = channels_slot(i);

		if (!ch->used || ch->ending || ch->pending_count == 0 || !is_cancelling(ch, ch->pending[0]))
			continue;
		if (now >= ch->next_interrupt) {
			interrupt_server(ch);
			ch->next_interrupt = now + INTERRUPT_RETRY_MS;
		}
		if (next < 0 || ch->next_interrupt < next)
			next = ch->next_interrupt;
	}
	channels_unlock();
	return next < 0 ? -1 : (int)(next - now);
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
	int timeout = -1, interrupt_in, i;

	forget_ended();
	interrupt_in = interrupt_cancelled();
	set->n = 0;
	set->port = -1;
	if (!input_ended && blocked < 0 && now >= hangup_until) {
		set->port = set->n;
		set->p[set->n++] = (struct pollfd){ .fd = c->in_fd, .events = POLLIN };
		timeout = rx_timeout();
	} else if (!input_ended && blocked < 0) {
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
		/* POLLIN: the server's answers, or its end. */
		set->p[set->n++] = (struct pollfd){
			.fd = ch->fd,
			.events = POLLIN | POLLRDHUP |
				  (ch->queue.end > ch->queue.start || ch->partial > 0 ? POLLOUT : 0),
		};
	}
	channels_unlock();
	if (interrupt_in >= 0 && (timeout < 0 || interrupt_in < timeout))
		timeout = interrupt_in;
	return timeout;
}

/* Copies what channel_ended needs of a server that hung up. */
static void note_ended(const struct channel *ch, struct ended *e)
{
	e->channel = ch->number;
	e->kind = ch->kind;
	e->pid = ch->pid;
	e->end = KEEPER_RUNNING;
	if (ch->keeper != NULL) {
		/* The keeper closed the server's socket after the thread ended: the end is known. */
		e->end = keeper_end(ch->keeper);
		keeper_release(ch->keeper);
	}
	e->pending_count = ch->pending_count;
	memcpy(e->pending, ch->pending, (size_t)ch->pending_count * sizeof ch->pending[0]);
}

/*
 * Flushes queues that can take more, takes in the servers' answers and forgets servers that hung up;
 * KEEP_GOING, or how the router ends (channel 0's server ended).
 */
static int serve_channels(const struct conn *c, const struct poll_set *set)
{
	static struct ended e;	/* large: not on the stack */
	int i, end;

	for (i = 0; i < set->n; i++) {
		struct channel *ch;
		int gone = 0;

		if (i == set->port || i == set->children || set->p[i].revents == 0)
			continue;
		channels_lock();
		ch = channels_find(set->channel[i]);
		if (ch != NULL && ch->fd == set->p[i].fd) {
			if (set->p[i].revents & POLLOUT)
				flush(ch);
			if ((set->p[i].revents & ~POLLOUT) && read_answers(ch)) {
				gone = !ch->ending;
				if (gone)
					note_ended(ch, &e);
				channels_free(ch);
			}
			if (blocked == set->channel[i] && (ch->fd < 0 || ch->queue.end == ch->queue.start)) {
				blocked = -1;
				rx_resume();
			}
		}
		channels_unlock();
		end = gone ? channel_ended(c, &e) : KEEP_GOING;
		if (end != KEEP_GOING)
			return end;
	}
	return KEEP_GOING;
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

/*
 * The host is done: each server gets the end of its input once it has taken what it was sent, serves
 * it and ends; the router returns when channel 0 has.
 */
static void end_inputs(void)
{
	int i;

	channels_lock();
	for (i = 0; i < MAX_CHANNELS; i++) {
		struct channel *ch = channels_slot(i);

		if (ch->used && !ch->input_closed && ch->queue.end == ch->queue.start && ch->partial == 0) {
			shutdown(ch->fd, SHUT_WR);
			ch->input_closed = 1;
		}
	}
	channels_unlock();
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
		end = serve_channels(c, &set);
		if (end != KEEP_GOING)
			return end;
		end = input_ended ? SERVE_INPUT_ENDED : read_input(c, &set);
		if (end == SERVE_INPUT_ENDED) {
			input_ended = 1;
			end_inputs();
			continue;
		}
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
