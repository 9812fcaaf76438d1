#include "keeper.h"

#include "children.h"
#include "io.h"
#include "log.h"
#include "server.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEEPER_STACK (64 * 1024)

struct keeper {
	pthread_mutex_t lock;
	int refs;		/* the keeper thread and the owner */
	pthread_t server_thread;
	int ended;		/* the server's thread has ended and was joined */
	int end;		/* a serve_end once the server returned, else KEEPER_RUNNING */
	struct server *server;
	int fd, cancel_fd;
	sem_t started;		/* the server thread's id is known */
	sem_t go;		/* the keeper runs: serve (or not, when `abort`) */
	int abort;
	pid_t tid;
};

static void release(struct keeper *k)
{
	int last;

	pthread_mutex_lock(&k->lock);
	last = --k->refs == 0;
	pthread_mutex_unlock(&k->lock);
	if (!last)
		return;
	pthread_mutex_destroy(&k->lock);
	free(k);
}

static void wait_for(sem_t *sem);

static void *serve(void *arg)
{
	struct keeper *k = arg;
	int end;

	k->tid = (pid_t)syscall(SYS_gettid);
	sem_post(&k->started);
	wait_for(&k->go);
	if (k->abort)
		return NULL;
	end = server_run(k->server);
	pthread_mutex_lock(&k->lock);
	k->end = end;
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

/* Joins the server's thread, however it ended, then lets the router see the end. */
static void *keep(void *arg)
{
	struct keeper *k = arg;
	int err = pthread_join(k->server_thread, NULL);

	if (err != 0)
		log_error("pthread_join of the server of a channel: %s", strerror(err));
	pthread_mutex_lock(&k->lock);
	k->ended = 1;
	pthread_mutex_unlock(&k->lock);
	/* A thread ended by a SYSCALL exit left its server as it was: it is not used any more. */
	server_destroy(k->server);
	fd_close_internal(k->cancel_fd);
	fd_close_internal(k->fd);
	release(k);
	return NULL;
}

static int start_keeper(struct keeper *k)
{
	pthread_attr_t attr;
	pthread_t keeper;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (KEEPER_STACK >= PTHREAD_STACK_MIN)
		pthread_attr_setstacksize(&attr, KEEPER_STACK);
	err = pthread_create(&keeper, &attr, keep, k);
	pthread_attr_destroy(&attr);
	return err;
}

static void wait_for(sem_t *sem)
{
	while (sem_wait(sem) < 0 && errno == EINTR)
		;
}

struct keeper *keeper_start(struct server *s, int fd, int cancel_fd, pid_t *tid)
{
	struct keeper *k = calloc(1, sizeof *k);
	int err;

	if (k == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&k->lock, NULL);
	sem_init(&k->started, 0, 0);
	sem_init(&k->go, 0, 0);
	k->refs = 2;
	k->end = KEEPER_RUNNING;
	k->server = s;
	k->fd = fd;
	k->cancel_fd = cancel_fd;
	err = pthread_create(&k->server_thread, NULL, serve, k);
	if (err == 0) {
		wait_for(&k->started);
		*tid = k->tid;
		err = start_keeper(k);
		/* Without a keeper nobody would notice the thread's end: it must not serve. */
		k->abort = err != 0;
		sem_post(&k->go);
		if (err != 0)
			pthread_join(k->server_thread, NULL);
	}
	if (err == 0)
		return k;
	log_error("pthread_create for a channel's server or its keeper: %s", strerror(err));
	sem_destroy(&k->started);
	sem_destroy(&k->go);
	pthread_mutex_destroy(&k->lock);
	free(k);
	errno = err;
	return NULL;
}

void keeper_interrupt(struct keeper *k)
{
	/*
	 * By thread id, not pthread_kill: the thread may be joined at any moment. Its id is free only
	 * between its end and `ended`, microseconds in which the kernel does not hand it out again.
	 */
	pthread_mutex_lock(&k->lock);
	if (!k->ended && syscall(SYS_tgkill, getpid(), k->tid, INTERRUPT_SIGNAL) < 0 && errno != ESRCH)
		log_error("tgkill %d: %s", (int)k->tid, strerror(errno));
	pthread_mutex_unlock(&k->lock);
}

int keeper_end(struct keeper *k)
{
	int end;

	pthread_mutex_lock(&k->lock);
	end = !k->ended ? KEEPER_RUNNING : k->end == KEEPER_RUNNING ? KEEPER_THREAD_EXITED : k->end;
	pthread_mutex_unlock(&k->lock);
	return end;
}

void keeper_release(struct keeper *k)
{
	release(k);
}
