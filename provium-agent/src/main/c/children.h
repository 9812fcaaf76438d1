/*
 * Children and signals. SIGCHLD is blocked in every thread. The main thread reads it from a signalfd
 * and reaps its own children (the orphans, when the agent is PID 1); every server waits for the
 * children it started through their pidfds and reaps them itself. The main thread reaps with
 * __WNOTHREAD, so it never takes a child another thread waits for.
 */
#ifndef PROVIUM_CHILDREN_H
#define PROVIUM_CHILDREN_H

#include <sys/types.h>

/* Sent to a worker to interrupt the system call it is blocked in; its handler does nothing. */
#define INTERRUPT_SIGNAL SIGUSR1

/*
 * Ignores SIGPIPE, blocks SIGCHLD, opens the signalfd, installs the INTERRUPT_SIGNAL handler.
 * on_host: SIGTERM, SIGINT and SIGHUP end the agent after killing everything tracked.
 */
int children_setup(int on_host);

/* The signalfd to poll for SIGCHLD, or -1 before children_setup. */
int children_fd(void);

/* Reaps the calling thread's children that have ended. Call when children_fd() is readable. */
int children_reap(void);

/* Remembers a process (target > 0) or a process group (target < 0) to SIGKILL when the agent ends. */
void children_track(pid_t target);
void children_untrack(pid_t target);

/* SIGKILLs everything tracked (the agent is about to exit). */
void children_kill_tracked(void);

/* In a forked worker: what the parent tracked is not the worker's. */
void children_forget_tracked(void);

/* A pidfd (internal, see io.h) for a child of the calling thread; -1 when it fails (logged). */
int child_pidfd(pid_t pid);

/*
 * Waits up to timeout_ms (-1: no limit) for the child to exit and reaps it: 1 with *status set when
 * it has exited, 0 when it still runs, -1 on failure (logged).
 */
int child_wait(pid_t pid, int pidfd, int timeout_ms, int *status);

/* Reaps the child if it has exited: child_wait without waiting. */
int child_reap(pid_t pid, int *status);

/* In a forked child before exec: the signal mask and dispositions the agent started with. */
int children_prepare_exec(void);

#endif
