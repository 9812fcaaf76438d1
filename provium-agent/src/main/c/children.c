#include "children.h"

#include "log.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static int signal_fd = -1;
static sigset_t original_mask;
static pid_t agent_pid;
static volatile sig_atomic_t watched_pid;
static int watched_status;
static volatile sig_atomic_t watched_done;

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

/*
 * On the host, a termination signal ends the agent as it would have, but takes the running command's
 * process group along. A real handler, not the signalfd: it must work while a write to the host
 * blocks. Only async-signal-safe calls here.
 */
static void on_termination(int sig)
{
	static const char message[] = "provium-agent: terminated by a signal\n";

	if (getpid() == agent_pid && watched_pid > 0 && !watched_done)
		kill(-watched_pid, SIGKILL);
	if (write(STDERR_FILENO, message, sizeof message - 1) < 0)
		_exit(128 + sig);
	_exit(128 + sig);
}

static int catch_termination(void)
{
	agent_pid = getpid();
	return set_disposition(SIGTERM, on_termination) || set_disposition(SIGINT, on_termination) ||
	       set_disposition(SIGHUP, on_termination) ? -1 : 0;
}

int children_setup(int on_host)
{
	sigset_t chld;

	/* A closed host connection must surface as EPIPE, not kill the agent. */
	if (set_disposition(SIGPIPE, SIG_IGN) != 0)
		return -1;
	/* An inherited SIG_IGN would make the kernel reap children before we see their status. */
	if (set_disposition(SIGCHLD, SIG_DFL) != 0)
		return -1;
	if (on_host && catch_termination() != 0)
		return -1;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &original_mask) < 0) {
		log_error("sigprocmask: %s", strerror(errno));
		return -1;
	}
	signal_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
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

static void drain_signals(void)
{
	struct signalfd_siginfo info;

	while (read(signal_fd, &info, sizeof info) > 0)
		;
}

int children_reap(void)
{
	int status;
	pid_t pid;

	drain_signals();
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (pid == watched_pid) {
				watched_status = status;
				watched_done = 1;
			}
			continue;
		}
		if (pid == 0 || errno == ECHILD)
			return 0;
		if (errno != EINTR) {
			log_error("waitpid: %s", strerror(errno));
			return -1;
		}
	}
}

void children_watch(pid_t pid)
{
	watched_pid = pid;
	watched_done = 0;
}

int children_exited(pid_t pid, int *status)
{
	if (pid != watched_pid || !watched_done)
		return 0;
	*status = watched_status;
	return 1;
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
