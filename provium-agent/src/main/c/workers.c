#include "workers.h"

#include "channels.h"
#include "children.h"
#include "io.h"
#include "keeper.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAWN_FORK 0
#define SPAWN_THREAD 1
/* How long a killed worker may take to finish its request and end its jobs. */
#define END_WAIT_MS 5000
#define END_POLL_MS 50

static int start_thread(struct channel *ch, int fd, int cancel_fd, int out_fd)
{
	struct server *w = server_create(fd, cancel_fd, out_fd, ch->number);

	if (w == NULL) {
		errno = ENOMEM;
		return -1;
	}
	ch->keeper = keeper_start(w, fd, cancel_fd, &ch->tid);
	if (ch->keeper == NULL) {
		int err = errno;

		server_destroy(w);
		errno = err;
		return -1;
	}
	ch->pid = getpid();
	return 0;
}

/* The forked worker: drops the descriptors of the router and the other servers, then serves. */
_Noreturn static void fork_main(int fd, int cancel_fd, int out_fd, uint16_t channel)
{
	const int keep[2] = { fd, cancel_fd };
	struct server *w;

	fd_close_internal_except(keep, 2);
	children_forget_tracked();
	w = server_create(fd, cancel_fd, out_fd, channel);
	if (w == NULL) {
		log_error("no memory for the worker on channel %u", channel);
		_exit(1);
	}
	server_run(w);
	_exit(0);
}

static int start_process(struct channel *ch, int fd, int cancel_fd, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		fork_main(fd, cancel_fd, out_fd, ch->number);
	if (pid < 0)
		return -1;
	fd_close_internal(fd);
	fd_close_internal(cancel_fd);
	children_track(pid);
	ch->pid = ch->tid = pid;
	return 0;
}

int workers_spawn(struct request *r)
{
	unsigned char buf[10];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	struct channel *ch;
	uint8_t kind;
	int sv[2], cancel[2], result, err;

	dec_init(&d, r->f);
	kind = dec_u8(&d);
	if (dec_finish(&d) != 0 || kind > SPAWN_THREAD)
		return reply_error(r, E_MALFORMED, 0, "SPAWN payload must be u8 kind, 0 (fork) or 1 (thread) (%u bytes given)",
				   r->f->length);
	if (channels_open(sv, cancel) < 0)
		return reply_error(r, E_OS_ERROR, errno, "SPAWN: socketpair or pipe: %s", strerror(errno));
	/* Held across fork, so the child's copy of the table is whole. */
	channels_lock();
	ch = channels_add(0);
	if (ch == NULL) {
		channels_unlock();
		channels_close_server_ends(sv, cancel);
		fd_close_internal(sv[0]);
		fd_close_internal(cancel[0]);
		return reply_error(r, E_LIMIT, 0, "SPAWN: %d workers are running; kill one first", MAX_WORKERS);
	}
	ch->fd = sv[0];
	ch->cancel_fd = cancel[0];
	ch->kind = kind == SPAWN_THREAD ? CHANNEL_THREAD : CHANNEL_FORK;
	result = kind == SPAWN_THREAD ? start_thread(ch, sv[1], cancel[1], r->out_fd)
				      : start_process(ch, sv[1], cancel[1], r->out_fd);
	err = errno;
	if (result < 0)
		channels_free(ch);
	channels_unlock();
	if (result < 0) {
		channels_close_server_ends(sv, cancel);
		return reply_error(r, E_OS_ERROR, err, "SPAWN: %s: %s", kind == SPAWN_THREAD ? "pthread_create" : "fork",
				   strerror(err));
	}
	enc_u16(&e, ch->number);
	enc_u32(&e, (uint32_t)ch->pid);
	enc_u32(&e, (uint32_t)ch->tid);
	return reply(r, T_SPAWNED, 0, e.buf, e.len);
}

/*
 * The worker's input is closed: it ends after its current request. A signal interrupts a system call
 * it may be blocked in. 0 when it has ended, -1 when it does not within END_WAIT_MS.
 */
static int end_worker(const struct channel *ch)
{
	int waited, status, killed;

	for (waited = 0; waited < END_WAIT_MS; waited += END_POLL_MS) {
		if (ch->kind == CHANNEL_THREAD) {
			keeper_interrupt(ch->keeper);
			if (keeper_end(ch->keeper) != KEEPER_RUNNING)
				return 0;
			sleep_ms(END_POLL_MS);
			continue;
		}
		kill(ch->pid, INTERRUPT_SIGNAL);
		if (child_reap(ch->pid, &status) != 0)
			return 0;
		sleep_ms(END_POLL_MS);
	}
	if (ch->kind == CHANNEL_THREAD)
		return -1;
	log_error("worker %d on channel %u did not end within %d ms; killing it (its jobs may be left)",
		  (int)ch->pid, ch->number, END_WAIT_MS);
	/* Not while it writes a frame: the stream would lose its place. */
	frame_writer_lock();
	killed = kill(ch->pid, SIGKILL);
	frame_writer_unlock();
	if (killed < 0) {
		log_error("kill worker %d: %s", (int)ch->pid, strerror(errno));
		return -1;
	}
	waitpid(ch->pid, &status, 0);
	return 0;
}

int workers_kill(struct request *r)
{
	const struct frame *f = r->f;
	struct decoder d;
	struct channel *ch, worker;
	uint16_t number;
	int result;

	dec_init(&d, f);
	number = dec_u16(&d);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0,
				   "KILL_WORKER payload must be u16 channel (%u bytes given)", f->length);
	channels_lock();
	ch = channels_find(number);
	if (ch == NULL || ch->kind == CHANNEL_AGENT || ch->ending) {
		const char *why = number == 0 ? " (channel 0 is the agent itself)"
				  : channels_given(number) ? ": it has ended" : ": none was spawned on it";

		channels_unlock();
		return reply_error(r, E_NOT_FOUND, 0,
				   "KILL_WORKER: no worker on channel %u%s", number, why);
	}
	ch->ending = 1;
	shutdown(ch->fd, SHUT_RDWR);
	worker = *ch;
	channels_unlock();
	result = end_worker(&worker);
	/* KILL_WORKER owns an ending channel's keeper (the router only forgets the channel). */
	if (worker.kind == CHANNEL_THREAD)
		keeper_release(worker.keeper);
	if (worker.kind == CHANNEL_FORK)
		children_untrack(worker.pid);
	if (result < 0)
		return reply_error(r, E_OS_ERROR, 0,
				   "KILL_WORKER: the %s on channel %u (tid %d) did not end within %d ms%s",
				   worker.kind == CHANNEL_THREAD ? "thread worker" : "worker", number,
				   (int)worker.tid, END_WAIT_MS,
				   worker.kind == CHANNEL_THREAD ? ": it is stuck in a system call"
								 : " and cannot be killed (see the agent's log)");
	return reply(r, T_OK, 0, NULL, 0);
}
