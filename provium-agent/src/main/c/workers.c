#include "workers.h"

#include "channels.h"
#include "children.h"
#include "io.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPAWN_FORK 0
#define SPAWN_THREAD 1
/* How long a killed worker may take to finish its request and end its jobs. */
#define END_WAIT_MS 5000
#define END_POLL_MS 50

struct thread_start {
	struct server *server;
	sem_t started;
	pid_t tid;
};

static void *thread_main(void *arg)
{
	struct thread_start *start = arg;
	struct server *w = start->server;

	start->tid = (pid_t)syscall(SYS_gettid);
	sem_post(&start->started);	/* `start` is gone after this */
	server_run(w);
	fd_close_internal(w->conn.in_fd);
	server_destroy(w);
	return NULL;
}

static int start_thread(struct channel *ch, int fd, int out_fd)
{
	struct thread_start start = { .server = server_create(fd, out_fd, ch->number) };
	int err;

	if (start.server == NULL) {
		errno = ENOMEM;
		return -1;
	}
	sem_init(&start.started, 0, 0);
	err = pthread_create(&ch->thread, NULL, thread_main, &start);
	if (err != 0) {
		server_destroy(start.server);
		sem_destroy(&start.started);
		errno = err;
		return -1;
	}
	while (sem_wait(&start.started) < 0 && errno == EINTR)
		;
	sem_destroy(&start.started);
	ch->pid = getpid();
	ch->tid = start.tid;
	return 0;
}

/* The forked worker: drops the descriptors of the router and the other servers, then serves. */
_Noreturn static void fork_main(int fd, int out_fd, uint16_t channel)
{
	struct server *w;

	fd_close_internal_except(fd);
	children_forget_tracked();
	w = server_create(fd, out_fd, channel);
	if (w == NULL) {
		log_error("no memory for the worker on channel %u", channel);
		_exit(1);
	}
	server_run(w);
	_exit(0);
}

static int start_process(struct channel *ch, int fd, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0)
		fork_main(fd, out_fd, ch->number);
	if (pid < 0)
		return -1;
	fd_close_internal(fd);
	children_track(pid);
	ch->pid = ch->tid = pid;
	return 0;
}

int workers_spawn(struct server *s, struct frame *f)
{
	unsigned char buf[10];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	struct channel *ch;
	uint8_t kind;
	int sv[2], result, err;

	dec_init(&d, f);
	kind = dec_u8(&d);
	if (dec_finish(&d) != 0 || kind > SPAWN_THREAD)
		return frame_send_error(&s->conn, f->channel, f->id, E_MALFORMED, 0,
					"SPAWN payload must be u8 kind, 0 (fork) or 1 (thread) (%u bytes given)",
					f->length);
	if (channels_socketpair(sv) < 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_OS_ERROR, errno, "SPAWN: socketpair: %s",
					strerror(errno));
	/* Held across fork, so the child's copy of the table is whole. */
	channels_lock();
	ch = channels_add(0);
	if (ch == NULL) {
		channels_unlock();
		fd_close_internal(sv[0]);
		fd_close_internal(sv[1]);
		return frame_send_error(&s->conn, f->channel, f->id, E_LIMIT, 0,
					"SPAWN: %d workers are running; kill one first", MAX_WORKERS);
	}
	ch->fd = sv[0];
	ch->kind = kind == SPAWN_THREAD ? CHANNEL_THREAD : CHANNEL_FORK;
	result = kind == SPAWN_THREAD ? start_thread(ch, sv[1], s->conn.out_fd)
				      : start_process(ch, sv[1], s->conn.out_fd);
	err = errno;
	if (result < 0)
		channels_free(ch);
	channels_unlock();
	if (result < 0) {
		fd_close_internal(sv[1]);
		return frame_send_error(&s->conn, f->channel, f->id, E_OS_ERROR, err, "SPAWN: %s: %s",
					kind == SPAWN_THREAD ? "pthread_create" : "fork", strerror(err));
	}
	enc_u16(&e, ch->number);
	enc_u32(&e, (uint32_t)ch->pid);
	enc_u32(&e, (uint32_t)ch->tid);
	return frame_send(&s->conn, T_SPAWNED, 0, f->channel, f->id, e.buf, e.len);
}

static int join_thread(pthread_t thread)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += END_POLL_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return pthread_timedjoin_np(thread, NULL, &until) == 0;
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
			pthread_kill(ch->thread, INTERRUPT_SIGNAL);
			if (join_thread(ch->thread))
				return 0;
			continue;
		}
		kill(ch->pid, INTERRUPT_SIGNAL);
		if (child_reap(ch->pid, &status) != 0)
			return 0;
		sleep_ms(END_POLL_MS);
	}
	if (ch->kind == CHANNEL_THREAD) {
		pthread_detach(ch->thread);
		return -1;
	}
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

int workers_kill(struct server *s, struct frame *f)
{
	struct decoder d;
	struct channel *ch, worker;
	uint16_t number;
	int result;

	dec_init(&d, f);
	number = dec_u16(&d);
	if (dec_finish(&d) != 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_MALFORMED, 0,
					"KILL_WORKER payload must be u16 channel (%u bytes given)", f->length);
	channels_lock();
	ch = channels_find(number);
	if (ch == NULL || ch->kind == CHANNEL_AGENT || ch->ending) {
		const char *why = number == 0 ? " (channel 0 is the agent itself)"
				  : channels_given(number) ? ": it has ended" : ": none was spawned on it";

		channels_unlock();
		return frame_send_error(&s->conn, f->channel, f->id, E_NOT_FOUND, 0,
					"KILL_WORKER: no worker on channel %u%s", number, why);
	}
	ch->ending = 1;
	shutdown(ch->fd, SHUT_RDWR);
	worker = *ch;
	channels_unlock();
	result = end_worker(&worker);
	if (worker.kind == CHANNEL_FORK)
		children_untrack(worker.pid);
	if (result < 0)
		return frame_send_error(&s->conn, f->channel, f->id, E_OS_ERROR, 0,
					"KILL_WORKER: the %s on channel %u (tid %d) did not end within %d ms%s",
					worker.kind == CHANNEL_THREAD ? "thread worker" : "worker", number,
					(int)worker.tid, END_WAIT_MS,
					worker.kind == CHANNEL_THREAD ? ": it is stuck in a system call"
								      : " and cannot be killed (see the agent's log)");
	return frame_send(&s->conn, T_OK, 0, f->channel, f->id, NULL, 0);
}
