#include "children.h"

#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRACKED 1024
#define MAX_COLLECTED 256
/* Without a pidfd, how often a wait looks at the child again. */
#define NO_PIDFD_POLL_MS 50
#define MAX_POLL_MS 60000

static int signal_fd = -1;
static sigset_t original_mask;
/* Kill targets; 0 is a free slot. Written with atomics, read by the signal handler. */
static volatile sig_atomic_t tracked[MAX_TRACKED];
/* Workers to reap for whichever thread forked them (children_collect); 0 is a free slot. */
static pid_t collected[MAX_COLLECTED];

static int set_disposition(int sig, void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0) {
		log_error("sigaction %d: %s", sig, strerror(errno));
		return -1;
	}
	return 0;
}

void children_kill_tracked(void)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++) {
		pid_t target = tracked[i];

		if (target != 0)
			kill(target, SIGKILL);
	}
}

/*
 * On the host, a termination signal ends the agent as it would have, but takes the commands, jobs
 * and forked workers along. A real handler, not the signalfd: it must work while a write to the host
 * blocks. Only async-signal-safe calls here.
 */
static void on_termination(int sig)
{
	static const char message[] = "provium-agent: terminated by a signal\n";

	children_kill_tracked();
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
		_exit(128 + sig);
	_exit(128 + sig);
}

/* Only there to interrupt a blocking system call (no SA_RESTART). */
static void on_interrupt(int sig)
{
	(void)sig;
}

static int catch_termination(void)
{
	return set_disposition(SIGTERM, on_termination) || set_disposition(SIGINT, on_termination) ||
	       set_disposition(SIGHUP, on_termination) ? -1 : 0;
}

int children_setup(int on_host)
{
	sigset_t chld, interrupt;

	/* A closed host connection must surface as EPIPE, not kill the agent. */
	if (set_disposition(SIGPIPE, SIG_IGN) != 0)
		return -1;
	/* An inherited SIG_IGN would make the kernel reap children before we see their status. */
	if (set_disposition(SIGCHLD, SIG_DFL) != 0)
		return -1;
	if (set_disposition(INTERRUPT_SIGNAL, on_interrupt) != 0)
		return -1;
	if (on_host && catch_termination() != 0)
		return -1;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigemptyset(&interrupt);
	sigaddset(&interrupt, INTERRUPT_SIGNAL);
	/* Before any thread starts, so that every thread inherits the mask. */
	if (sigprocmask(SIG_BLOCK, &chld, &original_mask) < 0 ||
	    sigprocmask(SIG_UNBLOCK, &interrupt, NULL) < 0) {
		log_error("sigprocmask: %s", strerror(errno));
		return -1;
	}
	signal_fd = fd_internal(signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC));
	if (signal_fd < 0) {
		log_error("signalfd: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int children_fd(void)
{
	return signal_fd;
}

/* 1 when the collected worker is reaped (or, after a failure that is logged, given up), 0 while it runs. */
static int reap_collected(pid_t pid)
{
	int status;

	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);

		if (done == pid)
			return 1;
		if (done == 0)
			return 0;
		if (errno != EINTR) {
			log_error("waitpid for the ended worker %d: %s", (int)pid, strerror(errno));
			return 1;
		}
	}
}

/* Slots are claimed with atomics: a power-off that fails reaps from another thread (init.c). */
static void reap_collected_all(void)
{
	int i;

	for (i = 0; i < MAX_COLLECTED; i++) {
		pid_t pid = __atomic_exchange_n(&collected[i], 0, __ATOMIC_SEQ_CST);

		if (pid == 0)
			continue;
		if (reap_collected(pid))
			children_untrack(pid);
		else
			__atomic_store_n(&collected[i], pid, __ATOMIC_SEQ_CST);
	}
}

int children_reap(void)
{
	struct signalfd_siginfo info;
	int status;
	pid_t pid;

	while (read(signal_fd, &info, sizeof info) > 0)
		;
	reap_collected_all();
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG | __WNOTHREAD);
		if (pid > 0)
			continue;
		if (pid == 0 || errno == ECHILD)
			return 0;
		if (errno != EINTR) {
			log_error("waitpid: %s", strerror(errno));
			return -1;
		}
	}
}

void children_collect(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_COLLECTED; i++) {
		pid_t expected = 0;

		if (__atomic_compare_exchange_n(&collected[i], &expected, pid, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			/* It may have exited already: its SIGCHLD may have been read before it was collected. */
			reap_collected_all();
			return;
		}
	}
	log_error("more than %d ended workers to reap: %d stays a zombie until the agent ends", MAX_COLLECTED,
		  (int)pid);
}

void children_track(pid_t target)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++) {
		int expected = 0;

		if (__atomic_compare_exchange_n((int *)&tracked[i], &expected, (int)target, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return;
	}
	log_error("more than %d children to clean up: %d will not be killed when the agent ends", MAX_TRACKED,
		  (int)target);
}

void children_untrack(pid_t target)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++) {
		int expected = (int)target;

		if (__atomic_compare_exchange_n((int *)&tracked[i], &expected, 0, 0, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return;
	}
}

void children_forget_tracked(void)
{
	int i;

	for (i = 0; i < MAX_TRACKED; i++)
		tracked[i] = 0;
}

int child_pidfd(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0) {
		log_error("pidfd_open %d: %s", (int)pid, strerror(errno));
		return -1;
	}
	return fd_internal(fd);
}

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

/* In the forked child: its own process group, stdout and stderr, stdin /dev/null, then the shell. */
_Noreturn static void exec_shell(char *command, int out, int err)
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

int children_spawn_group(struct child_group *g, unsigned char *command, uint32_t length, int out, int err)
{
	g->pidfd = -1;
	g->pid = fork();
	if (g->pid == 0) {
		command[length] = '\0';
		exec_shell((char *)command, out, err);
	}
	if (g->pid < 0) {
		int saved = errno;

		log_error("fork for /bin/sh: %s", strerror(saved));
		g->pid = 0;
		errno = saved;
		return -1;
	}
	/* Also here, so the group exists before anyone can kill it. */
	setpgid(g->pid, g->pid);
	children_track(-g->pid);
	g->pidfd = child_pidfd(g->pid);
	return 0;
}

void children_kill_group(const struct child_group *g)
{
	if (kill(-g->pid, SIGKILL) < 0 && errno != ESRCH)
		log_error("kill process group %d: %s", (int)g->pid, strerror(errno));
}

void children_release_group(struct child_group *g)
{
	fd_close_internal(g->pidfd);
	if (g->pid > 0)
		children_untrack(-g->pid);
	g->pid = 0;
	g->pidfd = -1;
}

int child_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 0;
}

int child_reap(pid_t pid, int *status)
{
	for (;;) {
		pid_t done = waitpid(pid, status, WNOHANG);

		if (done == pid)
			return 1;
		if (done == 0)
			return 0;
		if (errno != EINTR) {
			log_error("waitpid %d: %s", (int)pid, strerror(errno));
			return -1;
		}
	}
}

int child_wait_for(pid_t pid, int pidfd, int64_t timeout_ms, int *status, struct pollfd *extra, int count)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	struct pollfd p[1 + CHILD_WAIT_EXTRA];
	int i;

	if (count > CHILD_WAIT_EXTRA) {
		log_error("waiting for %d with %d more descriptors, over %d", (int)pid, count, CHILD_WAIT_EXTRA);
		return -1;
	}
	for (;;) {
		int64_t left = deadline < 0 ? -1 : deadline - now_ms();
		int exited = child_reap(pid, status), ready;

		if (exited != 0)
			return exited;
		if (deadline >= 0 && left <= 0)
			return 0;
		if (left < 0 || left > MAX_POLL_MS)
			left = MAX_POLL_MS;
		if (pidfd < 0 && left > NO_PIDFD_POLL_MS)
			left = NO_PIDFD_POLL_MS;	/* no pidfd: look again soon */
		p[0] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		for (i = 0; i < count; i++)
			p[1 + i] = (struct pollfd){ .fd = extra[i].fd, .events = extra[i].events };
		ready = poll(p, (nfds_t)(1 + count), (int)left);
		if (ready < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < count; i++)
			extra[i].revents = ready > 0 ? p[1 + i].revents : 0;
		for (i = 0; i < count; i++) {
			if (extra[i].revents != 0)
				return 0;
		}
	}
}

int child_wait(pid_t pid, int pidfd, int64_t timeout_ms, int *status)
{
	return child_wait_for(pid, pidfd, timeout_ms, status, NULL, 0);
}

int children_prepare_exec(void)
{
	if (set_disposition(SIGPIPE, SIG_DFL) != 0)
		return -1;
	if (sigprocmask(SIG_SETMASK, &original_mask, NULL) < 0) {
		log_error("sigprocmask: %s", strerror(errno));
		return -1;
	}
	return 0;
}
