#include "server.h"

#include "exec.h"
#include "io.h"
#include "kmsg.h"
#include "log.h"
#include "syscalls.h"
#include "workers.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const capabilities[] = {
	"exec", "read_file", "write_file", "shutdown", "ping",
	"syscall", "ioctl", "jobs", "workers", "dmesg",
};

struct server *server_create(int in_fd, int out_fd, uint16_t channel)
{
	struct server *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->frame = malloc(FRAME_HEADER_SIZE + FRAME_MAX_PAYLOAD + 1);
	s->chunk = malloc(DATA_MAX_CHUNK);
	if (s->frame == NULL || s->chunk == NULL) {
		server_destroy(s);
		return NULL;
	}
	s->conn.in_fd = in_fd;
	s->conn.out_fd = out_fd;
	s->conn.router_fd = in_fd;
	s->channel = channel;
	s->upload.fd = -1;
	jobs_init(&s->jobs);
	return s;
}

void server_destroy(struct server *s)
{
	if (s == NULL)
		return;
	free(s->frame);
	free(s->chunk);
	free(s->arena);
	free(s);
}

struct pollfd server_hangup(const struct server *s)
{
	return (struct pollfd){ .fd = s->channel != 0 ? s->conn.in_fd : -1, .events = POLLRDHUP };
}

static int on_hello(struct server *s, const struct frame *f)
{
	unsigned char buf[256];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	uint32_t version;
	size_t i;

	dec_init(&d, f);
	version = dec_u32(&d);
	if (dec_finish(&d) != 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_MALFORMED, 0,
					"HELLO payload must be a u32 protocol version (%u bytes given)", f->length);
	if (version != PROVIUM_PROTOCOL_VERSION) {
		s->version_refused = 1;
		return frame_send_error(&s->conn, f->channel, f->id, E_VERSION_MISMATCH, 0,
					"host speaks protocol %u, agent speaks protocol %d", version,
					PROVIUM_PROTOCOL_VERSION);
	}
	s->version_refused = 0;
	enc_u32(&e, PROVIUM_PROTOCOL_VERSION);
	enc_u32(&e, (uint32_t)getpid());
	enc_u16(&e, (uint16_t)(sizeof capabilities / sizeof capabilities[0]));
	for (i = 0; i < sizeof capabilities / sizeof capabilities[0]; i++)
		enc_str(&e, capabilities[i]);
	return frame_send(&s->conn, T_HELLO_OK, 0, f->channel, f->id, e.buf, e.len);
}

static int on_ping(struct server *s, const struct frame *f)
{
	return frame_send(&s->conn, T_PONG, 0, f->channel, f->id, f->payload, f->length);
}

static int on_shutdown(struct server *s, const struct frame *f)
{
	if (f->length != 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_MALFORMED, 0,
					"SHUTDOWN payload must be empty (%u bytes given)", f->length);
	if (frame_send(&s->conn, T_OK, 0, f->channel, f->id, NULL, 0) < 0)
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

static int dispatch(struct server *s, struct frame *f)
{
	const char *name = agent_only(f->type);

	if (f->type < T_FIRST_REQUEST || f->type > T_LAST_REQUEST)
		return frame_send_error(&s->conn, f->channel, f->id, E_UNKNOWN_TYPE, 0,
					"frame type 0x%02x is not a request this agent knows", f->type);
	if (f->type == T_HELLO)
		return on_hello(s, f);
	if (f->type == T_PING)
		return on_ping(s, f);
	if (s->version_refused)
		return frame_send_error(&s->conn, f->channel, f->id, E_VERSION_MISMATCH, 0,
					"send HELLO with protocol %d first: this agent speaks protocol %d only",
					PROVIUM_PROTOCOL_VERSION, PROVIUM_PROTOCOL_VERSION);
	if (name != NULL && s->channel != 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_UNEXPECTED, 0,
					"%s is served on channel 0 only, not by the worker on channel %u", name,
					s->channel);
	switch (f->type) {
	case T_EXEC:
		return exec_request(s, f);
	case T_WRITE_FILE:
		return files_write_begin(s, f);
	case T_DATA_IN:
		return files_write_data(s, f);
	case T_READ_FILE:
		return files_read(s, f);
	case T_SHUTDOWN:
		return on_shutdown(s, f);
	case T_SYSCALL:
	case T_IOCTL:
		return syscalls_request(s, f);
	case T_BACKGROUND:
		return jobs_start(s, f);
	case T_JOB_WAIT:
	case T_JOB_KILL:
		return jobs_finish(s, f);
	case T_SPAWN:
		return workers_spawn(s, f);
	case T_KILL_WORKER:
		return workers_kill(s, f);
	case T_DMESG:
		return kmsg_request(s, f);
	default:
		return frame_send_error(&s->conn, f->channel, f->id, E_UNKNOWN_TYPE, 0,
					"frame type 0x%02x is not a request this agent knows", f->type);
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

/* The router forwards whole, valid frames only. */
static int read_frame(struct server *s, struct frame *f)
{
	int result = read_exactly(s->conn.in_fd, s->frame, FRAME_HEADER_SIZE);

	if (result != 0)
		return result;
	memset(f, 0, sizeof *f);
	frame_decode_header(s->frame, f);
	f->payload = s->frame + FRAME_HEADER_SIZE;
	return read_exactly(s->conn.in_fd, f->payload, f->length) == 0 ? 0 : -1;
}

int server_run(struct server *s)
{
	struct frame f;
	int event, result = HANDLED;

	do {
		event = read_frame(s, &f);
		if (event != 0)
			break;
		result = dispatch(s, &f);
	} while (result == HANDLED);
	files_abandon(s);
	jobs_end_all(&s->jobs);
	if (result == SHUTDOWN_REQUESTED)
		return SERVE_SHUTDOWN;
	if (result == CONNECTION_FAILED || event < 0)
		return SERVE_FAILED;
	return SERVE_INPUT_ENDED;
}
