/*
 * Children and signals. SIGCHLD is blocked in every thread. The main thread reads it from a signalfd
 * and reaps its own children (the orphans, when the agent is PID 1) and the forked workers handed to
 * it (children_collect); every server starts its shells (children_spawn_group), waits for them through
 * their pidfds and reaps them itself. The main thread reaps with __WNOTHREAD, so it never takes a child
 * another thread waits for.
 */
#ifndef PROVIUM_CHILDREN_H
#define PROVIUM_CHILDREN_H

#include <poll.h>
#include <stdint.h>
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

/*
 * Reaps the calling thread's children that have ended, and the collected workers that have. Call when
 * children_fd() is readable.
 */
int children_reap(void);

/*
 * A forked worker whose channel hung up (it ended by itself; nobody waits for it): reaped by the
 * caller (the main thread) now or in a later children_reap, whichever thread forked it, then untracked.
 */
void children_collect(pid_t pid);

/* Remembers a process (target > 0) or a process group (target < 0) to SIGKILL when the agent ends. */
void children_track(pid_t target);
void children_untrack(pid_t target);

/* SIGKILLs everything tracked (the agent is about to exit). */
void children_kill_tracked(void);

/* In a forked worker: what the parent tracked is not the worker's. */
void children_forget_tracked(void);

/* A pidfd (internal, see io.h) for a child of the calling thread; -1 when it fails (logged). */
int child_pidfd(pid_t pid);

/* A shell started by children_spawn_group: the leader of a process group of its own. */
struct child_group {
	pid_t pid;		/* 0 when none was started */
	int pidfd;		/* internal; -1 when pidfd_open failed (waits then look every 50 ms) */
};

/*
 * Forks /bin/sh -c command with stdin /dev/null, stdout on `out`, stderr on `err`, in a process group
 * of its own; tracks the group and opens a pidfd for the shell. The child NUL-terminates the command
 * at command[length] (the byte after a frame's payload, see struct frame). 0, or -1 with errno set
 * when fork failed (logged).
 */
int children_spawn_group(struct child_group *g, unsigned char *command, uint32_t length, int out, int err);

/* SIGKILLs the group (a group already gone is no failure). */
void children_kill_group(const struct child_group *g);

/* Closes the pidfd and untracks the group, once it was reaped or is left to the agent's end. */
void children_release_group(struct child_group *g);

/* Exit code like a shell's: the status, or 128 + the signal that killed it. */
int child_exit_code(int status);

/*
 * Waits up to timeout_ms (-1: no limit) for the child to exit and reaps it: 1 with *status set when
 * it has exited, 0 when it still runs, -1 on failure (logged).
 */
int child_wait(pid_t pid, int pidfd, int64_t timeout_ms, int *status);

/*
 * child_wait that also polls `count` (at most CHILD_WAIT_EXTRA) more descriptors: it returns 0 as
 * well when one of them has an event, which their revents then say.
 */
#define CHILD_WAIT_EXTRA 4
int child_wait_for(pid_t pid, int pidfd, int64_t timeout_ms, int *status, struct pollfd *extra, int count);

/* Reaps the child if it has exited: child_wait without waiting. */
int child_reap(pid_t pid, int *status);

/* In a forked child before exec: the signal mask and dispositions the agent started with. */
int children_prepare_exec(void);

#endif
