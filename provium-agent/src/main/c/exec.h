/* EXEC: runs /bin/sh -c in its own process group and streams its output. */
#ifndef PROVIUM_EXEC_H
#define PROVIUM_EXEC_H

#include "protocol.h"

#include <sys/types.h>

struct server;

/* Answers one EXEC request; -1 when the connection failed. */
int exec_request(struct server *s, struct frame *f);

/*
 * In a forked child: makes `out` and `err` its stdout and stderr, stdin /dev/null, its own process
 * group, then execs /bin/sh -c command. Never returns.
 */
_Noreturn void exec_shell(char *command, int out, int err);

/* Exit code like a shell's: the status, or 128 + the signal that killed it. */
int exec_exit_code(int status);

#endif
