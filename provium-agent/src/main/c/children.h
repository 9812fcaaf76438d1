/*
 * Children and signals. SIGCHLD is blocked and read from a signalfd; one central reaper collects
 * every child (orphans too when the agent is PID 1) and keeps the status of the one child that the
 * exec code is waiting for.
 */
#ifndef PROVIUM_CHILDREN_H
#define PROVIUM_CHILDREN_H

#include <sys/types.h>

/*
 * Ignores SIGPIPE, blocks SIGCHLD and opens the signalfd. on_host: SIGTERM, SIGINT and SIGHUP end
 * the agent after killing the running command's process group.
 */
int children_setup(int on_host);

/* The signalfd to poll for SIGCHLD, or -1 before children_setup. */
int children_fd(void);

/* Reaps every child that has ended. Call when children_fd() is readable. */
int children_reap(void);

/* Remembers pid's status when it is reaped. */
void children_watch(pid_t pid);

/* 1 and *status set when the watched child has been reaped, else 0. */
int children_exited(pid_t pid, int *status);

/* In a forked child before exec: the signal mask and dispositions the agent started with. */
int children_prepare_exec(void);

#endif
