#include "exec.h"

#include "children.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define STREAM_STDOUT 1
#define STREAM_STDERR 2
#define EXIT_KILLED 0x01
#define EXIT_TIMED_OUT 0x02
/* After the command exits, how many reads per stream collect what it left in the pipes. */
#define DRAIN_READS 64

struct job {
	pid_t pid;
	int out[2];		/* read ends for stdout and stderr; -1 once closed */
	int timed_out;
	int status;
};

/* Makes fd `to` refer to `from` and stay open across exec. */
static int move_fd(int from, int to)
{
	if (from == to)
		return fcntl(to, F_SETFD, 0);
	return dup2(from, to) < 0 ? -1 : 0;
}

static void child_stdin(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		dprintf(STDERR_FILENO, "provium-agent: open /dev/null: %s\n", strerror(errno));
		close(STDIN_FILENO);
		return;
	}
	if (move_fd(fd, STDIN_FILENO) < 0)
		dprintf(STDERR_FILENO, "provium-agent: dup2 /dev/null: %s\n", strerror(errno));
}

/* In the forked child: never returns. The command is NUL-terminated in the child's copy. */
static void run_child(char *command, int out, int err)
{
	setpgid(0, 0);
	if (move_fd(out, STDOUT_FILENO) < 0 || move_fd(err, STDERR_FILENO) < 0)
		_exit(127);
	child_stdin();
	children_prepare_exec();
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	dprintf(STDERR_FILENO, "provium-agent: exec /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int start_job(struct job *j, unsigned char *command, uint32_t length)
{
	int out[2], err[2];

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
	j->pid = fork();
	if (j->pid == 0) {
		command[length] = '\0';
		run_child((char *)command, out[1], err[1]);
	}
	if (j->pid < 0)
		log_error("fork for /bin/sh: %s", strerror(errno));
	close(out[1]);
	close(err[1]);
	j->out[0] = out[0];
	j->out[1] = err[0];
	if (j->pid < 0) {
		close_fd(&j->out[0]);
		close_fd(&j->out[1]);
		return -1;
	}
	/* Also here, so the group exists before the timeout can kill it. */
	setpgid(j->pid, j->pid);
	children_watch(j->pid);
	set_nonblocking(j->out[0]);
	set_nonblocking(j->out[1]);
	return 0;
}

/* Reads once from one stream and forwards what came; -1 when the host connection failed. */
static int forward_output(const struct conn *c, const struct frame *f, struct job *j, int stream)
{
	static unsigned char buf[1 + OUTPUT_MAX_DATA];
	int *fd = &j->out[stream - 1];
	ssize_t n;

	if (*fd < 0)
		return 0;
	n = read(*fd, buf + 1, OUTPUT_MAX_DATA);
	if (n > 0) {
		buf[0] = (unsigned char)stream;
		return frame_send(c, T_OUTPUT, 0, f->channel, f->id, buf, 1 + (size_t)n);
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
static int drain_output(const struct conn *c, const struct frame *f, struct job *j)
{
	int stream, i;

	for (stream = STREAM_STDOUT; stream <= STREAM_STDERR; stream++) {
		for (i = 0; i < DRAIN_READS && j->out[stream - 1] >= 0; i++) {
			struct pollfd p = { .fd = j->out[stream - 1], .events = POLLIN };

			if (poll(&p, 1, 0) <= 0)
				break;
			if (forward_output(c, f, j, stream) < 0)
				return -1;
		}
		close_fd(&j->out[stream - 1]);
	}
	return 0;
}

static void kill_job(struct job *j)
{
	if (kill(-j->pid, SIGKILL) < 0 && errno != ESRCH)
		log_error("kill process group %d: %s", (int)j->pid, strerror(errno));
}

/* Poll timeout until the deadline; kills the job when it has passed. */
static int time_left(struct job *j, int64_t deadline)
{
	int64_t left;

	if (deadline < 0 || j->timed_out)
		return -1;
	left = deadline - now_ms();
	if (left > 0)
		return left > 60000 ? 60000 : (int)left;
	kill_job(j);
	j->timed_out = 1;
	return -1;
}

/* Forwards output until the command has exited; -1 when the host connection failed. */
static int pump_job(const struct conn *c, const struct frame *f, struct job *j, uint32_t timeout_ms)
{
	int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : -1;

	while (!children_exited(j->pid, &j->status)) {
		struct pollfd p[3] = {
			{ .fd = j->out[0], .events = POLLIN },
			{ .fd = j->out[1], .events = POLLIN },
			{ .fd = children_fd(), .events = POLLIN },
		};
		int wait = time_left(j, deadline);

		if (poll(p, 3, wait) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			return -1;
		}
		if (p[0].revents && forward_output(c, f, j, STREAM_STDOUT) < 0)
			return -1;
		if (p[1].revents && forward_output(c, f, j, STREAM_STDERR) < 0)
			return -1;
		if (p[2].revents)
			children_reap();
	}
	return drain_output(c, f, j);
}

/* The host is gone: the command must not outlive the request. */
static void abandon_job(struct job *j)
{
	kill_job(j);
	while (!children_exited(j->pid, &j->status)) {
		struct pollfd p = { .fd = children_fd(), .events = POLLIN };

		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			break;
		}
		children_reap();
	}
	close_fd(&j->out[0]);
	close_fd(&j->out[1]);
	children_watch(0);
}

static int send_exit(const struct conn *c, const struct frame *f, const struct job *j)
{
	unsigned char buf[6];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	int32_t code = 0;
	uint8_t flags = 0, sig = 0;

	if (WIFEXITED(j->status)) {
		code = WEXITSTATUS(j->status);
	} else if (WIFSIGNALED(j->status)) {
		sig = (uint8_t)WTERMSIG(j->status);
		code = 128 + sig;
		flags |= EXIT_KILLED;
	}
	if (j->timed_out) {
		flags |= EXIT_TIMED_OUT;
		code = 128 + SIGKILL;
	}
	enc_u32(&e, (uint32_t)code);
	enc_u8(&e, flags);
	enc_u8(&e, sig);
	return frame_send(c, T_EXIT, 0, f->channel, f->id, e.buf, e.len);
}

int exec_request(const struct conn *c, struct frame *f)
{
	struct job j = { .out = { -1, -1 } };
	struct decoder d;
	unsigned char *command;
	uint32_t timeout_ms, length;

	dec_init(&d, f);
	timeout_ms = dec_u32(&d);
	dec_bytes(&d, &command, &length);
	if (dec_finish(&d) != 0)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0,
					"EXEC payload must be u32 timeout_ms then str command (%u bytes given)",
					f->length);
	if (memchr(command, '\0', length) != NULL)
		return frame_send_error(c, f->channel, f->id, E_MALFORMED, 0, "EXEC command contains a NUL byte");
	if (start_job(&j, command, length) < 0) {
		int err = errno;

		return frame_send_error(c, f->channel, f->id, E_OS_ERROR, err, "start /bin/sh: %s", strerror(err));
	}
	if (pump_job(c, f, &j, timeout_ms) < 0) {
		abandon_job(&j);
		return -1;
	}
	children_watch(0);
	return send_exit(c, f, &j);
}
