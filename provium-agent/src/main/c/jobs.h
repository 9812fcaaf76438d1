/*
 * Background jobs: BACKGROUND starts /bin/sh -c in its own process group with stdout and stderr
 * spooled to memory files (memfd), so a job never blocks on its output and none of it is lost;
 * JOB_WAIT and JOB_KILL answer with everything it wrote so far and its status.
 */
#ifndef PROVIUM_JOBS_H
#define PROVIUM_JOBS_H

#include "children.h"
#include "request.h"

#include <sys/types.h>

#define MAX_JOBS 64

struct job {
	uint32_t id;		/* 0: a free slot */
	struct child_group group;
	int spool[2];		/* memfds holding stdout and stderr */
	int done;
	int status;
};

/* The jobs of one server (the agent's channel or a worker's). */
struct jobs {
	uint32_t last_id;
	struct job slot[MAX_JOBS];
};

void jobs_init(struct jobs *j);

/* BACKGROUND: answers JOB_STARTED. */
int jobs_start(struct jobs *j, struct request *r);

/*
 * JOB_WAIT and JOB_KILL: answer OUTPUT frames, then JOB_STATUS; a finished job's slot is freed. A
 * JOB_WAIT cancelled while it waits is answered CANCELLED (the job goes on).
 */
int jobs_finish(struct jobs *j, struct request *r);

/* Kills every job and frees its slot (the server is ending). */
void jobs_end_all(struct jobs *j);

#endif
