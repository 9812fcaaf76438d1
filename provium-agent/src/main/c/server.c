#include "server.h"

#include "exec.h"
#include "files.h"
#include "jobs.h"
#include "kmsg.h"
#include "log.h"
#include "request.h"
#include "syscalls.h"
#include "workers.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a request handler returns. */
#define HANDLED 0
#define CONNECTION_FAILED (-1)
#define SHUTDOWN_REQUESTED 1

static const char *const capabilities[] = {
	"exec", "read_file", "write_file", "shutdown", "ping",
	"syscall", "ioctl", "jobs", "workers", "dmesg", "cancel",
};

struct server {
	int in_fd;		/* frames from the router; the id of each final reply goes back on it */
	int out_fd;		/* the host */
	uint16_t channel;
	int version_refused;	/* a HELLO with another version came: only HELLO and PING are served */
	unsigned char *frame;	/* the frame being served: FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD + 1 bytes */
	unsigned char *arena;	/* SYSCALL buffers, allocated on first use */
	struct cancels cancels;
	struct files files;
	struct jobs jobs;
};

struct server *server_create(int in_fd, int cancel_fd, int out_fd, uint16_t channel)
{
	struct server *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->frame = malloc(FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD + 1);
	if (s->frame == NULL || files_init(&s->files) < 0) {
		server_destroy(s);
		return NULL;
	}
	s->in_fd = in_fd;
	s->out_fd = out_fd;
	s->channel = channel;
	s->cancels.fd = cancel_fd;
	jobs_init(&s->jobs);
	return s;
}

void server_destroy(struct server *s)
{
	if (s == NULL)
		return;
	files_destroy(&s->files);
	free(s->frame);
	free(s->arena);
	free(s);
}

static int on_hello(struct server *s, struct request *r)
{
	unsigned char buf[256];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	uint32_t version;
	size_t i;

	dec_init(&d, r->f);
	version = dec_u32(&d);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0, "HELLO payload must be a u32 protocol version (%u bytes given)",
				   r->f->length);
	if (version != PROVIUM_PROTOCOL_VERSION) {
		s->version_refused = 1;
		return reply_error(r, E_VERSION_MISMATCH, 0, "host speaks protocol %u, agent speaks protocol %d",
				   version, PROVIUM_PROTOCOL_VERSION);
	}
	s->version_refused = 0;
	enc_u32(&e, PROVIUM_PROTOCOL_VERSION);
	enc_u32(&e, (uint32_t)getpid());
	enc_u16(&e, (uint16_t)(sizeof capabilities / sizeof capabilities[0]));
	for (i = 0; i < sizeof capabilities / sizeof capabilities[0]; i++)
		enc_str(&e, capabilities[i]);
	return reply(r, T_HELLO_OK, 0, e.buf, e.len);
}

static int on_shutdown(struct request *r)
{
	if (r->f->length != 0)
		return reply_error(r, E_MALFORMED, 0, "SHUTDOWN payload must be empty (%u bytes given)", r->f->length);
	if (reply(r, T_OK, 0, NULL, 0) < 0)
		return CONNECTION_FAILED;
	return SHUTDOWN_REQUESTED;
}

static const char *agent_only(uint8_t type)
{
	switch (type) {
	case T_SHUTDOWN:
		return "SHUTDOWN";
	case T_SPAWN:
		return "SPAWN";
	case T_KILL_WORKER:
		return "KILL_WORKER";
	default:
		return NULL;
	}
}

static int unknown_type(struct request *r)
{
	return reply_error(r, E_UNKNOWN_TYPE, 0, "frame type 0x%02x is not a request this agent knows", r->f->type);
}

static int dispatch(struct server *s, struct request *r)
{
	const struct frame *f = r->f;
	const char *name = agent_only(f->type);

	if (f->type < T_FIRST_REQUEST || f->type > T_LAST_REQUEST)
		return unknown_type(r);
	if (f->type != T_DATA_IN && cancels_has(&s->cancels, f->id))
		return reply_error(r, E_CANCELLED, 0, "request %u on channel %u was cancelled by the host before it was served",
				   f->id, f->channel);
	if (f->type == T_HELLO)
		return on_hello(s, r);
	if (f->type == T_PING)
		return reply(r, T_PONG, 0, f->payload, f->length);
	if (s->version_refused)
		return reply_error(r, E_VERSION_MISMATCH, 0,
				   "send HELLO with protocol %d first: this agent speaks protocol %d only",
				   PROVIUM_PROTOCOL_VERSION, PROVIUM_PROTOCOL_VERSION);
	if (name != NULL && s->channel != 0)
		return reply_error(r, E_UNEXPECTED, 0, "%s is served on channel 0 only, not by the worker on channel %u",
				   name, s->channel);
	switch (f->type) {
	case T_EXEC:
		return exec_request(r);
	case T_WRITE_FILE:
		return files_write_begin(&s->files, r);
	case T_DATA_IN:
		return files_write_data(&s->files, r);
	case T_READ_FILE:
		return files_read(&s->files, r);
	case T_SHUTDOWN:
		return on_shutdown(r);
	case T_SYSCALL:
	case T_IOCTL:
		return syscalls_request(&s->arena, r);
	case T_BACKGROUND:
		return jobs_start(&s->jobs, r);
	case T_JOB_WAIT:
	case T_JOB_KILL:
		return jobs_finish(&s->jobs, r);
	case T_SPAWN:
		return workers_spawn(r);
	case T_KILL_WORKER:
		return workers_kill(r);
	case T_DMESG:
		return kmsg_request(r);
	default:
		/* CANCEL is served by the router and never forwarded. */
		return unknown_type(r);
	}
}

/* 0 when `n` bytes were read, 1 at the end of input before any byte, -1 otherwise. */
static int read_exactly(int fd, unsigned char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = read(fd, buf + done, n - done);

		if (got > 0) {
			done += (size_t)got;
			continue;
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			log_error("read from the router: %s", strerror(errno));
		else if (done > 0)
			log_error("the router's input ended inside a frame");
		return got == 0 && done == 0 ? 1 : -1;
	}
	return 0;
}

/*
 * Waits for the next frame; CANCELs that arrive meanwhile may end an open upload. HANDLED, or
 * CONNECTION_FAILED.
 */
static int await_frame(struct server *s, struct request *idle)
{
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = s->in_fd, .events = POLLIN },
			{ .fd = s->cancels.fd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0 && errno != EINTR) {
			log_error("poll for the router's frames: %s", strerror(errno));
			return HANDLED;	/* the read says what is wrong */
		}
		if (p[1].revents) {
			cancels_drain(&s->cancels);
			if (files_cancel_upload(&s->files, idle) < 0)
				return CONNECTION_FAILED;
		}
		if (p[0].revents)
			return HANDLED;
	}
}

/* The router forwards whole, valid frames only. */
static int read_frame(struct server *s, struct frame *f)
{
	int result = read_exactly(s->in_fd, s->frame, FRAME_HEADER_SIZE);

	if (result != 0)
		return result;
	memset(f, 0, sizeof *f);
	frame_decode_header(s->frame, f);
	f->payload = s->frame + FRAME_HEADER_SIZE;
	return read_exactly(s->in_fd, f->payload, f->length) == 0 ? 0 : -1;
}

int server_run(struct server *s)
{
	struct frame f = { .channel = s->channel };
	struct request r = {
		.f = &f,
		.out_fd = s->out_fd,
		.router_fd = s->in_fd,
		.hangup_fd = s->channel != 0 ? s->in_fd : -1,
		.cancels = &s->cancels,
	};
	int event = 0, result = HANDLED;

	while (result == HANDLED) {
		result = await_frame(s, &r);
		if (result != HANDLED)
			break;
		event = read_frame(s, &f);
		if (event != 0)
			break;
		cancels_drain(&s->cancels);
		result = dispatch(s, &r);
		/* An upload's cancel stays until the upload ends (files_cancel_upload). */
		if (f.type != T_DATA_IN && f.type != T_WRITE_FILE)
			cancels_forget(&s->cancels, f.id);
	}
	files_abandon(&s->files);
	jobs_end_all(&s->jobs);
	if (result == SHUTDOWN_REQUESTED)
		return SERVE_SHUTDOWN;
	if (result == CONNECTION_FAILED || event < 0)
		return SERVE_FAILED;
	return SERVE_INPUT_ENDED;
}
