#include "jobs.h"

#include "children.h"
#include "exec.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define JOB_FLAG_RUNNING 0x02
/* How long a SIGKILLed job may take to go (e.g. out of an uninterruptible sleep). */
#define KILL_WAIT_MS 10000

static const char *const stream_names[2] = { "stdout", "stderr" };

void jobs_init(struct jobs *j)
{
	int i;

	memset(j, 0, sizeof *j);
	for (i = 0; i < MAX_JOBS; i++) {
		j->slot[i].group.pidfd = -1;
		j->slot[i].spool[0] = j->slot[i].spool[1] = -1;
	}
}

static void free_slot(struct job *job)
{
	fd_close_internal(job->spool[0]);
	fd_close_internal(job->spool[1]);
	children_release_group(&job->group);
	memset(job, 0, sizeof *job);
	job->group.pidfd = job->spool[0] = job->spool[1] = -1;
}

static struct job *free_slot_of(struct jobs *j)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++) {
		if (j->slot[i].id == 0)
			return &j->slot[i];
	}
	return NULL;
}

static int open_spools(struct job *job)
{
	int i;

	for (i = 0; i < 2; i++) {
		char name[32];

		snprintf(name, sizeof name, "provium-job-%u-%s", job->id, stream_names[i]);
		job->spool[i] = fd_internal(memfd_create(name, MFD_CLOEXEC));
		if (job->spool[i] < 0)
			return -1;
	}
	return 0;
}

static int start(struct job *job, unsigned char *command, uint32_t length)
{
	if (open_spools(job) < 0)
		return -1;
	return children_spawn_group(&job->group, command, length, job->spool[0], job->spool[1]);
}

int jobs_start(struct jobs *j, struct request *r)
{
	const struct frame *f = r->f;
	unsigned char buf[8];
	struct encoder e = { .buf = buf, .cap = sizeof buf };
	struct decoder d;
	unsigned char *command;
	uint32_t length;
	struct job *job;

	dec_init(&d, f);
	dec_bytes(&d, &command, &length);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0,
				   "BACKGROUND payload must be str command (%u bytes given)", f->length);
	if (memchr(command, '\0', length) != NULL)
		return reply_error(r, E_MALFORMED, 0,
				   "BACKGROUND command contains a NUL byte");
	job = free_slot_of(j);
	if (job == NULL)
		return reply_error(r, E_LIMIT, 0,
				   "%d jobs are unfinished or their results not collected on channel %u: wait for or kill one first",
					MAX_JOBS, f->channel);
	job->id = ++j->last_id;
	if (start(job, command, length) < 0) {
		int err = errno;

		free_slot(job);
		return reply_error(r, E_OS_ERROR, err, "start a job: %s",
				   strerror(err));
	}
	enc_u32(&e, job->id);
	enc_u32(&e, (uint32_t)job->group.pid);
	return reply(r, T_JOB_STARTED, 0, e.buf, e.len);
}

static struct job *find(struct jobs *j, uint32_t id)
{
	int i;

	for (i = 0; id != 0 && i < MAX_JOBS; i++) {
		if (j->slot[i].id == id)
			return &j->slot[i];
	}
	return NULL;
}

/*
 * Waits up to timeout_ms for the job to exit; gives up early when the worker is being killed or the
 * request is cancelled (STOP_*), else STOP_NONE; -1 on failure.
 */
static int wait_job(struct request *r, struct job *job, uint32_t timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd stop[REQUEST_POLL_FDS];
		int64_t left = deadline - now_ms();
		int exited, why;

		request_poll_fds(r, stop);
		exited = child_wait_for(job->group.pid, job->group.pidfd, left > 0 ? left : 0, &job->status, stop,
					REQUEST_POLL_FDS);
		job->done = exited > 0;
		if (exited != 0)
			return exited < 0 ? -1 : STOP_NONE;
		if (!stop[0].revents && !stop[1].revents)
			return STOP_NONE;	/* the time is up */
		why = request_stopped(r);
		if (why != STOP_NONE)
			return why;
	}
}

static int kill_job(struct job *job)
{
	if (job->done)
		return 0;
	children_kill_group(&job->group);
	if (child_wait(job->group.pid, job->group.pidfd, KILL_WAIT_MS, &job->status) != 1)
		return -1;
	job->done = 1;
	return 0;
}

/* Sends what the job wrote to one stream so far; -1 when the connection failed. */
static int send_spool(const struct request *r, const struct job *job, int stream)
{
	unsigned char buf[1 + OUTPUT_MAX_DATA];
	struct stat st;
	off_t sent = 0;

	if (fstat(job->spool[stream], &st) < 0)
		return reply_error(r, E_OS_ERROR, errno, "fstat the %s of job %u: %s",
				   stream_names[stream], job->id, strerror(errno)) < 0 ? -1 : 1;
	buf[0] = (unsigned char)(stream + 1);
	while (sent < st.st_size) {
		size_t want = st.st_size - sent < (off_t)OUTPUT_MAX_DATA ? (size_t)(st.st_size - sent) : OUTPUT_MAX_DATA;
		ssize_t n = pread(job->spool[stream], buf + 1, want, sent);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* the file cannot shrink; n == 0 would be a kernel surprise */
		if (reply(r, T_OUTPUT, 0, buf, 1 + (size_t)n) < 0)
			return -1;
		sent += n;
	}
	return 0;
}

static int send_status(const struct request *r, const struct job *job)
{
	if (!job->done)
		return exec_send_status(r, T_JOB_STATUS, -1, JOB_FLAG_RUNNING, 0);
	return exec_send_status(r, T_JOB_STATUS, child_exit_code(job->status), 0, job->status);
}

static int unknown_job(const struct jobs *j, const struct request *r, const char *request, uint32_t id)
{
	if (id != 0 && id <= j->last_id)
		return reply_error(r, E_NOT_FOUND, 0,
				   "%s: job %u on channel %u has finished and its result was already collected",
					request, id, r->f->channel);
	return reply_error(r, E_NOT_FOUND, 0, "%s: no job %u on channel %u",
			   request, id, r->f->channel);
}

int jobs_finish(struct jobs *j, struct request *r)
{
	const struct frame *f = r->f;
	int killing = f->type == T_JOB_KILL;
	const char *request = killing ? "JOB_KILL" : "JOB_WAIT";
	struct decoder d;
	uint32_t id, timeout_ms = 0;
	struct job *job;
	int stream, result, stop = STOP_NONE;

	dec_init(&d, f);
	id = dec_u32(&d);
	if (!killing)
		timeout_ms = dec_u32(&d);
	if (dec_finish(&d) != 0)
		return reply_error(r, E_MALFORMED, 0, "%s payload must be u32 job id%s (%u bytes given)", request,
				   killing ? "" : " then u32 timeout_ms", f->length);
	job = find(j, id);
	if (job == NULL)
		return unknown_job(j, r, request, id);
	if (!job->done && killing && kill_job(job) < 0)
		stop = -1;
	else if (!job->done && !killing)
		stop = wait_job(r, job, timeout_ms);
	if (stop < 0)
		return reply_error(r, E_OS_ERROR, 0, "%s: job %u (pid %d) did not end%s", request, id,
				   (int)job->group.pid, killing ? " within 10 s of SIGKILL" : "");
	if (stop == STOP_CANCELLED)
		return reply_cancelled(r, request);
	for (stream = 0; stream < 2; stream++) {
		result = send_spool(r, job, stream);
		if (result != 0)
			return result < 0 ? -1 : 0;
	}
	result = send_status(r, job);
	if (job->done)
		free_slot(job);
	return result;
}

void jobs_end_all(struct jobs *j)
{
	int i;

	for (i = 0; i < MAX_JOBS; i++) {
		if (j->slot[i].id == 0)
			continue;
		if (kill_job(&j->slot[i]) < 0)
			log_error("job %u (pid %d) did not end within 10 s of SIGKILL", j->slot[i].id,
				  (int)j->slot[i].group.pid);
		free_slot(&j->slot[i]);
	}
}
