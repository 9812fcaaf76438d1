#include "exec.h"

#include "children.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAM_STDOUT 1
#define STREAM_STDERR 2
#define EXIT_TIMED_OUT 0x02
#define EXIT_CANCELLED 0x04
/* After the command exits, how many reads per stream collect what it left in the pipes. */
#define DRAIN_READS 64

struct command {
	struct child_group group;
	int out[2];		/* read ends for stdout and stderr; -1 once closed */
	int timed_out;
	int cancelled;	/* the host cancelled the request: the group was killed */
	int status;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int start_command(struct command *cmd, unsigned char *command, uint32_t length)
{
	int out[2], err[2], started;

	if (pipe2(out, O_CLOEXEC) < 0) {
		log_error("pipe2 for the command's stdout: %s", strerror(errno));
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		log_error("pipe2 for the command's stderr: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		return -1;
	}
	started = children_spawn_group(&cmd->group, command, length, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	cmd->out[0] = out[0];
	cmd->out[1] = err[0];
	if (started < 0) {
		int saved = errno;

		close_fd(&cmd->out[0]);
		close_fd(&cmd->out[1]);
		errno = saved;
		return -1;
	}
	set_nonblocking(cmd->out[0]);
	set_nonblocking(cmd->out[1]);
	return 0;
}

/* Reads once from one stream and forwards what came; -1 when the host connection failed. */
static int forward_output(const struct request *r, struct command *cmd, int stream)
{
	unsigned char buf[1 + OUTPUT_MAX_DATA];
	int *fd = &cmd->out[stream - 1];
	ssize_t n;

	if (*fd < 0)
		return 0;
	n = read(*fd, buf + 1, OUTPUT_MAX_DATA);
	if (n > 0) {
		buf[0] = (unsigned char)stream;
		return reply(r, T_OUTPUT, 0, buf, 1 + (size_t)n);
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0)
		log_error("read from the command's %s: %s", stream == STREAM_STDOUT ? "stdout" : "stderr",
			  strerror(errno));
	close_fd(fd);
	return 0;
}

/* What the command left in the pipes when it exited (a background grandchild may keep them open). */
static int drain_output(const struct request *r, struct command *cmd)
{
	int stream, i;

	for (stream = STREAM_STDOUT; stream <= STREAM_STDERR; stream++) {
		for (i = 0; i < DRAIN_READS && cmd->out[stream - 1] >= 0; i++) {
			struct pollfd p = { .fd = cmd->out[stream - 1], .events = POLLIN };

			if (poll(&p, 1, 0) <= 0)
				break;
			if (forward_output(r, cmd, stream) < 0)
				return -1;
		}
		close_fd(&cmd->out[stream - 1]);
	}
	return 0;
}

/* Time left until the deadline (-1: none); kills the command when it has passed. */
static int64_t time_left(struct command *cmd, int64_t deadline)
{
	int64_t left;

	if (deadline < 0 || cmd->timed_out || cmd->cancelled)
		return -1;
	left = deadline - now_ms();
	if (left > 0)
		return left;
	children_kill_group(&cmd->group);
	cmd->timed_out = 1;
	return -1;
}

/* The host cancelled the request: the command is killed and its exit reported as cancelled. */
static void cancel(struct command *cmd)
{
	if (cmd->cancelled || cmd->timed_out)
		return;
	children_kill_group(&cmd->group);
	cmd->cancelled = 1;
}

/* Forwards output until the command has exited; -1 when the host connection failed or the worker ends. */
static int pump(struct request *r, struct command *cmd, uint32_t timeout_ms)
{
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : -1;
	int exited;

	for (;;) {
		struct pollfd p[2 + REQUEST_POLL_FDS] = {
			{ .fd = cmd->out[0], .events = POLLIN },
			{ .fd = cmd->out[1], .events = POLLIN },
		};
		int stop;

		request_poll_fds(r, p + 2);
		exited = child_wait_for(cmd->group.pid, cmd->group.pidfd, time_left(cmd, deadline), &cmd->status,
					p, 2 + REQUEST_POLL_FDS);
		if (exited != 0)
			break;
		if (p[0].revents && forward_output(r, cmd, STREAM_STDOUT) < 0)
			return -1;
		if (p[1].revents && forward_output(r, cmd, STREAM_STDERR) < 0)
			return -1;
		if (!p[2].revents && !p[3].revents)
			continue;
		stop = request_stopped(r);
		if (stop == STOP_HANGUP)
			return -1;
		if (stop == STOP_CANCELLED)
			cancel(cmd);
	}
	if (exited < 0)
		return -1;
	return drain_output(r, cmd);
}

/* Nobody waits for the result any more: the command must not outlive the request. */
static void abandon(struct command *cmd)
{
	children_kill_group(&cmd->group);
	child_wait(cmd->group.pid, cmd->group.pidfd, -1, &cmd->status);
}

static void release(struct command *cmd)
{
	close_fd(&cmd->out[0]);
	close_fd(&cmd->out[1]);
	children_release_group(&cmd->group);
}

int exec_send_status(const struct request *r, uint8_t type, int32_t code, uint8_t flags, int status)
{
	unsigned char buf[6];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	uint8_t sig = 0;

	if (WIFSIGNALED(status)) {
		sig = (uint8_t)WTERMSIG(status);
		flags |= STATUS_SIGNALED;
	}
	enc_u32(&e, (uint32_t)code);
	enc_u8(&e, flags);
	enc_u8(&e, sig);
	return reply(r, type, 0, e.buf, e.len);
}

static int send_exit(const struct request *r, const struct command *cmd)
{
	if (cmd->timed_out)
		return exec_send_status(r, T_EXIT, 128 + SIGKILL, EXIT_TIMED_OUT, cmd->status);
	if (cmd->cancelled)
		return exec_send_status(r, T_EXIT, 128 + SIGKILL, EXIT_CANCELLED, cmd->status);
	return exec_send_status(r, T_EXIT, child_exit_code(cmd->status), 0, cmd->status);
}

int exec_request(struct request *r)
{
	const struct frame *f = r->f;
	struct command cmd = { .out = { -1, -1 }, .group = { .pidfd = -1 } };
	struct decoder d;
	unsigned char *command;
	uint32_t timeout_ms, length;
	int result;

	dec_init(&d, f);
	timeout_ms = dec_u32(&d);
	dec_bytes(&d, &command, &length);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0,
				   "EXEC payload must be u32 timeout_ms then str command (%u bytes given)",
					f->length);
	if (memchr(command, '\0', length) != NULL)
		return reply_error(r, E_MALFORMED, 0,
				   "EXEC command contains a NUL byte");
	if (start_command(&cmd, command, length) < 0) {
		int err = errno;

		return reply_error(r, E_OS_ERROR, err, "start /bin/sh: %s", strerror(err));
	}
	if (pump(r, &cmd, timeout_ms) < 0) {
		abandon(&cmd);
		release(&cmd);
		return -1;
	}
	result = send_exit(r, &cmd);
	release(&cmd);
	return result;
}
