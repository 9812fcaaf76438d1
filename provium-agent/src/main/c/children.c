#include "children.h"

#include "io.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRACKED 1024

static int signal_fd = -1;
static sigset_t original_mask;
/* Kill targets; 0 is a free slot. Written with atomics, read by the signal handler. */
static volatile sig_atomic_t tracked[MAX_TRACKED];

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

int children_reap(void)
{
	struct signalfd_siginfo info;
	int status;
	pid_t pid;

	while (read(signal_fd, &info, sizeof info) > 0)
		;
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

int child_wait(pid_t pid, int pidfd, int timeout_ms, int *status)
{
	int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	for (;;) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int64_t left = deadline < 0 ? -1 : deadline - now_ms();
		int exited = child_reap(pid, status);

		if (exited != 0)
			return exited;
		if (deadline >= 0 && left <= 0)
			return 0;
		if (left < 0 || left > 60000)
			left = 60000;
		if (pidfd < 0 && left > 50)
			left = 50;	/* no pidfd: look again soon */
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			return -1;
		}
	}
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
