#include "request.h"

#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The request `id` has its final reply: tells the router (see router.c), unless it is gone. */
static void tell_router(int fd, uint32_t id)
{
	unsigned char answered[4] = { (unsigned char)id, (unsigned char)(id >> 8), (unsigned char)(id >> 16),
				      (unsigned char)(id >> 24) };

	if (fd < 0)
		return;
	while (send(fd, answered, sizeof answered, MSG_NOSIGNAL) < 0) {
		if (errno == EPIPE || errno == ECONNRESET)
			return;	/* the router closed the channel: the worker is being killed */
		if (errno != EINTR) {
			log_error("telling the router that request %u is answered: %s", id, strerror(errno));
			return;
		}
	}
}

static int reply_to(const struct request *r, uint32_t id, uint8_t type, uint8_t flags, const struct iovec *iov,
		    int count)
{
	if (frame_send_iov(r->out_fd, type, flags, r->f->channel, id, iov, count) < 0)
		return -1;
	if (frame_is_final(type))
		tell_router(r->router_fd, id);
	return 0;
}

int reply_iov(const struct request *r, uint8_t type, uint8_t flags, const struct iovec *payload, int count)
{
	return reply_to(r, r->f->id, type, flags, payload, count);
}

int reply(const struct request *r, uint8_t type, uint8_t flags, const void *payload, size_t length)
{
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = length };

	return reply_iov(r, type, flags, &iov, length > 0 ? 1 : 0);
}

static int verror_to(const struct request *r, uint32_t id, uint16_t code, int err, const char *fmt, va_list ap)
{
	if (frame_send_verror(r->out_fd, r->f->channel, id, code, err, fmt, ap) < 0)
		return -1;
	tell_router(r->router_fd, id);
	return 0;
}

int reply_error(const struct request *r, uint16_t code, int err, const char *fmt, ...)
{
	va_list ap;
	int result;

	va_start(ap, fmt);
	result = verror_to(r, r->f->id, code, err, fmt, ap);
	va_end(ap);
	return result;
}

int reply_error_to(const struct request *r, uint32_t id, uint16_t code, int err, const char *fmt, ...)
{
	va_list ap;
	int result;

	va_start(ap, fmt);
	result = verror_to(r, id, code, err, fmt, ap);
	va_end(ap);
	return result;
}

int reply_cancelled(const struct request *r, const char *what)
{
	return reply_error(r, E_CANCELLED, 0, "%s (request %u on channel %u) was cancelled by the host", what,
			   r->f->id, r->f->channel);
}

void request_poll_fds(const struct request *r, struct pollfd p[REQUEST_POLL_FDS])
{
	p[0] = (struct pollfd){ .fd = r->cancels != NULL ? r->cancels->fd : -1, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = r->hangup_fd, .events = POLLRDHUP };
}

int request_stopped(struct request *r)
{
	struct pollfd p = { .fd = r->hangup_fd, .events = POLLRDHUP };

	if (r->hangup_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		return STOP_HANGUP;
	if (r->cancels == NULL)
		return STOP_NONE;
	cancels_drain(r->cancels);
	return cancels_has(r->cancels, r->f->id) ? STOP_CANCELLED : STOP_NONE;
}

/* Remembers a cancelled id; the oldest one goes when the list is full. */
static void remember(struct cancels *c, uint32_t id)
{
	if (cancels_has(c, id))
		return;
	if (c->count == CANCELS_KEPT) {
		memmove(&c->id[0], &c->id[1], (CANCELS_KEPT - 1) * sizeof c->id[0]);
		c->count--;
	}
	c->id[c->count++] = id;
}

void cancels_drain(struct cancels *c)
{
	unsigned char buf[64];

	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof buf), i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* EAGAIN: nothing more now; 0: the router is gone, the hang-up says the rest */
		for (i = 0; i < n; i++) {
			c->partial[c->partial_len++] = buf[i];
			if (c->partial_len < sizeof c->partial)
				continue;
			remember(c, (uint32_t)c->partial[0] | (uint32_t)c->partial[1] << 8 |
					    (uint32_t)c->partial[2] << 16 | (uint32_t)c->partial[3] << 24);
			c->partial_len = 0;
		}
	}
}

int cancels_has(const struct cancels *c, uint32_t id)
{
	int i;

	for (i = 0; i < c->count; i++) {
		if (c->id[i] == id)
			return 1;
	}
	return 0;
}

void cancels_forget(struct cancels *c, uint32_t id)
{
	int i;

	for (i = 0; i < c->count; i++) {
		if (c->id[i] == id) {
			memmove(&c->id[i], &c->id[i + 1], (size_t)(c->count - i - 1) * sizeof c->id[0]);
			c->count--;
			return;
		}
	}
}
