/*
 * Workers: SPAWN forks the agent's server (or starts a thread with its own credentials but the shared
 * memory and descriptors) that serves a new channel; KILL_WORKER ends it. Both are served on channel 0.
 */
#ifndef PROVIUM_WORKERS_H
#define PROVIUM_WORKERS_H

#include "protocol.h"

struct server;

int workers_spawn(struct server *s, struct frame *f);
int workers_kill(struct server *s, struct frame *f);

#endif
