/*
 * Workers: SPAWN forks the agent's server (or starts a thread with its own credentials but the shared
 * memory and descriptors) that serves a new channel; KILL_WORKER ends it. Both are served on channel 0.
 * A worker is a server: server.c dispatches to these, and these start a server (server_run, through
 * keeper.c for a thread). That is the agent's one recursion between modules.
 */
#ifndef PROVIUM_WORKERS_H
#define PROVIUM_WORKERS_H

#include "request.h"

int workers_spawn(struct request *r);
int workers_kill(struct request *r);

#endif
