/*
 * provium-agent: the guest agent of Provium. As PID 1 (or with --init) it is the guest's init and
 * serves the host on the virtio port "provium.agent"; on the host it serves stdin/stdout (--stdio)
 * or one bidirectional descriptor (--fd N) so that the protocol can be tested without a VM.
 */
#include "children.h"
#include "init.h"
#include "io.h"
#include "log.h"
#include "protocol.h"
#include "router.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct options {
	int init;	/* the guest's init: PID 1, --init, or the background half of provium.init= */
	int fd;		/* --fd N, or -1 for --stdio */
};

static void print_usage(FILE *out)
{
	fprintf(out,
		"usage: provium-agent [--stdio | --fd N | --init | --version]\n"
		"  (no option)  as PID 1: the guest's init, serving the virtio port " AGENT_PORT_NAME "\n"
		"  --init       the guest's init duties even when not PID 1\n"
		"  --stdio      serve one connection on stdin/stdout, exit at end of input or SHUTDOWN\n"
		"  --fd N       serve the bidirectional descriptor N (a socketpair end) the same way\n"
		"  --version    print the protocol version\n"
		"Protocol: PROTOCOL.md, version %d.\n",
		PROVIUM_PROTOCOL_VERSION);
}

static int parse_fd(const char *text, int *fd)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < 0 || value > 65535) {
		log_error("--fd wants a descriptor number, got \"%s\"", text);
		return -1;
	}
	*fd = (int)value;
	return 0;
}

/* 0 to run; otherwise *exit_code says how to end at once. */
static int parse_options(int argc, char *argv[], struct options *opt, int *exit_code)
{
	opt->init = 0;
	opt->fd = -1;
	*exit_code = 2;
	/* As PID 1 the arguments are whatever the kernel command line left over: ignore them. */
	if (getpid() == 1 || (argc == 2 && strcmp(argv[1], "--init") == 0)) {
		opt->init = 1;
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--stdio") == 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "--fd") == 0)
		return parse_fd(argv[2], &opt->fd);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("provium-agent protocol %d\n", PROVIUM_PROTOCOL_VERSION);
		*exit_code = 0;
		return -1;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_usage(stdout);
		*exit_code = 0;
		return -1;
	}
	print_usage(stderr);
	return -1;
}

/* The host's end of the protocol: the virtio port, a descriptor, or stdin/stdout. */
static int open_connection(const struct options *opt, struct conn *c)
{
	c->port = opt->init;
	if (opt->init) {
		c->in_fd = c->out_fd = init_open_port();
		return c->in_fd < 0 ? -1 : 0;
	}
	c->in_fd = opt->fd >= 0 ? opt->fd : STDIN_FILENO;
	c->out_fd = opt->fd >= 0 ? opt->fd : STDOUT_FILENO;
	if (fcntl(c->in_fd, F_GETFD) < 0 || fcntl(c->out_fd, F_GETFD) < 0) {
		log_error("descriptor %d: %s", c->in_fd, strerror(errno));
		return -1;
	}
	/* Commands run by EXEC must not inherit the connection. */
	if (opt->fd >= 0 && set_cloexec(opt->fd) < 0) {
		log_error("fcntl FD_CLOEXEC on %d: %s", opt->fd, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The one place the agent ends, for `end` (a serve_end): as the guest's init it powers the machine
 * off; on the host it kills every command, job and forked worker it started, then exits (1 for
 * SERVE_FAILED). Nothing calls back into it: the router returns here.
 */
_Noreturn static void finish(const struct options *opt, int end)
{
	if (opt->init)
		init_power_off();
	children_kill_tracked();
	exit(end == SERVE_FAILED ? 1 : 0);
}

int main(int argc, char *argv[])
{
	struct options opt;
	struct conn conn;
	int exit_code;

	if (parse_options(argc, argv, &opt, &exit_code) != 0)
		return exit_code;
	if ((opt.init ? init_system(argv) : open_standard_fds()) != 0)
		finish(&opt, SERVE_FAILED);
	if (children_setup(!opt.init) != 0 || frame_writer_setup() != 0)
		finish(&opt, SERVE_FAILED);
	if (opt.init)
		init_load_modules();
	if (open_connection(&opt, &conn) != 0)
		finish(&opt, SERVE_FAILED);
	finish(&opt, router_run(&conn));
}
