/*
 * A server that runs in a thread of the agent (channel 0, thread workers) and the keeper thread that
 * waits for that thread to end, however it ends: its server returned, or a SYSCALL ended the thread
 * (exit). Then the keeper closes the server's descriptors, so the router sees the channel hang up at
 * once, and records how it ended. The router (or KILL_WORKER) owns the other reference.
 */
#ifndef PROVIUM_KEEPER_H
#define PROVIUM_KEEPER_H

#include <sys/types.h>

/* keeper_end while the server's thread runs, and after it ended without its server returning. */
#define KEEPER_RUNNING (-1)
#define KEEPER_THREAD_EXITED (-2)

struct server;
struct keeper;

/*
 * Runs s in a new thread; the keeper closes fd and cancel_fd (internal, the server's ends) and destroys
 * s once that thread has ended. *tid is the server thread's id. NULL with errno set when it fails (s is
 * then the caller's).
 */
struct keeper *keeper_start(struct server *s, int fd, int cancel_fd, pid_t *tid);

/* Interrupts the system call the server's thread is blocked in (INTERRUPT_SIGNAL), unless it ended. */
void keeper_interrupt(struct keeper *k);

/* How it ended: a serve_end, KEEPER_THREAD_EXITED, or KEEPER_RUNNING while the thread runs. */
int keeper_end(struct keeper *k);

/* Drops the caller's reference; the keeper frees itself once the thread has ended too. */
void keeper_release(struct keeper *k);

#endif
